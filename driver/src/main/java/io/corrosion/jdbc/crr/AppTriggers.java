package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.TableTriggers;
import io.corrosion.jdbc.intercept.TriggerConflictRewrite;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The application's triggers (in {@code main}), made again with the brackets the driver adds at CREATE TRIGGER
 * ({@link TriggerConflictRewrite}) changed: added to the triggers of a file an earlier format made (formats 9, 12), and
 * following a table's rename. The other triggers of their tables are made again with them, in their order
 * ({@link TableTriggers}): the driver's capture triggers stay after the application's and fire first.
 */
final class AppTriggers {
    private AppTriggers() {}

    /** Brackets the conflict clauses of the application's triggers. Returns the tables whose triggers were made again. */
    static List<String> bracketConflictClauses(Connection c) throws SQLException {
        return rewrite(c, (name, sql) -> TriggerConflictRewrite.rewrite(sql, name, t -> CrrCatalog.pkColumns(c, t)));
    }

    /**
     * After {@code ALTER TABLE from RENAME TO to}: the brackets of body UPSERTs into the table name it in a string
     * literal, which SQLite does not rename. Returns the tables whose triggers were made again.
     */
    static List<String> renameUpsertTable(Connection c, String from, String to) throws SQLException {
        return rewrite(c, (name, sql) -> TriggerConflictRewrite.renamed(sql, from, to));
    }

    /** The application's triggers that {@code rewrite} changes, made again; the driver's own are left as they are. */
    private static List<String> rewrite(Connection c, TableTriggers.Rewrite rewrite) throws SQLException {
        return TableTriggers.remake(c, "main", (name, sql) -> TriggerConflictRewrite.isDriversOwn(name) ? sql
                : rewrite.of(name, sql));
    }
}
