package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/** A transaction of its own on a connection that has none open: the journal's bookkeeping, the readers' log, ... */
final class OwnTransaction {
    private OwnTransaction() {}

    /** Runs {@code work} in a transaction of its own on {@code c} (BEGIN IMMEDIATE), rolled back if it throws. */
    static <T> T run(SQLiteConnection c, CrrSession.Work<T> work) throws SQLException {
        exec(c, "BEGIN IMMEDIATE");
        try {
            T result = work.run();
            exec(c, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                exec(c, "ROLLBACK");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static void exec(SQLiteConnection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
