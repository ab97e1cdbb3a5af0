package io.corrosion.jdbc.node;

import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.crr.UniqueChecks;
import io.corrosion.jdbc.intercept.ChangesInsert;
import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema statements a node refuses before anything runs, each with why and what to do instead (SQLState 0A000):
 * {@code RESTORE FROM}, a view or trigger of the file naming {@code crsql_changes}, {@code PRAGMA recursive_triggers =
 * ON}, and an ALTER TABLE of a replicated table beside writes to it, or a DROP and CREATE of one, in one string or batch.
 */
final class SchemaRefusals {
    private static final Pattern RECURSIVE_TRIGGERS_ON = Pattern.compile(
            "(?is)\\s*PRAGMA\\s+(?:[\\w\"`\\[\\]]+\\s*\\.\\s*)?[\"`\\[]?recursive_triggers[\"`\\]]?\\s*(?:=|\\()\\s*['\"]?(\\w+)");

    /** sqlite-jdbc's extended command {@code restore [db] from <file>}. */
    private static final Pattern RESTORE = Pattern.compile("(?is)\\s*restore\\b.*\\bfrom\\b");
    /** A view or trigger of the file's schema (not TEMP). */
    private static final Pattern MAIN_VIEW_OR_TRIGGER = Pattern.compile("(?i)\\s*create\\s+(view|trigger)\\b");

    /**
     * A NOT NULL or PRIMARY KEY constraint whose own clause skips or stops the row ({@code ON CONFLICT IGNORE} or
     * {@code FAIL}): {@code NOT NULL ON CONFLICT IGNORE}, {@code PRIMARY KEY DESC ON CONFLICT FAIL},
     * {@code PRIMARY KEY (a, b) ON CONFLICT IGNORE}.
     */
    private static final Pattern SKIPPING_CONSTRAINT = Pattern.compile("(?is)\\b(?:NOT\\s+NULL|PRIMARY\\s+KEY"
            + "(?:\\s+(?:ASC|DESC))?(?:\\s*\\([^)]*\\))?)\\s+ON\\s+CONFLICT\\s+(?:IGNORE|FAIL)\\b");

    private final SchemaPolicy policy;

    SchemaRefusals(SchemaPolicy policy) {
        this.policy = policy;
    }

    /**
     * sqlite-jdbc's {@code RESTORE FROM <file>} replaces the live file under the node: its rows go back to the backup's
     * while its peers keep the versions it loses, its next commits take version numbers the peers hold already and
     * are dropped by them as duplicates, and the engine's caches no longer match the file. Refused, with what to do.
     */
    static void refuseRestore(SqlPlan plan) throws SQLException {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.OTHER && RESTORE.matcher(s.sql()).lookingAt()) {
                throw new SQLException("RESTORE FROM is refused on a corrosion database: it would put the file back to"
                        + " an older state under a live node, whose later changes its peers keep and whose next commits"
                        + " they would drop (README, 'One file, one node'). To restore a node, stop it and put a backup"
                        + " in place of its file with 'corrosion restore', or start it from an empty file and let it"
                        + " catch up; to read a backup, ATTACH it", "0A000");
            }
        }
    }

    /**
     * Refuses a view or trigger of the file's schema that names {@code crsql_changes}: that is a TEMP view of each
     * connection (made when used), and SQLite resolves the names of a main-schema object in main only, so it would fail
     * on every use. A TEMP view or trigger can name it.
     */
    static void refuseMainObjectOnChanges(SqlPlan plan) throws SQLException {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.OTHER && MAIN_VIEW_OR_TRIGGER.matcher(s.sql()).lookingAt()
                    && InternalTables.changesMentionedIn(s.sql())) {
                throw new SQLException("a view or trigger of the database cannot name crsql_changes: the driver makes it"
                        + " per connection, as a TEMP view; create yours as CREATE TEMP VIEW or CREATE TEMP TRIGGER on each"
                        + " connection that uses it", SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
    }

    /**
     * Refuses {@code <schema>.crsql_changes} for any schema but {@code temp}: the driver makes {@code crsql_changes}
     * per connection as a TEMP view of this file, so an attached file has none (cr-sqlite's {@code other.crsql_changes}
     * after ATTACH), and SQLite reaches a TEMP view by no other schema's name, {@code main} included.
     */
    static void refuseChangesOfOtherSchema(SqlPlan plan) throws SQLException {
        for (StatementPlan s : plan.statements()) {
            if (!s.mentionsInternal() || !InternalTables.changesMentionedIn(s.sql())) {
                continue;
            }
            Optional<String> schema = ChangesInsert.otherSchemaNamed(s.sql());
            if (schema.isPresent()) {
                throw new SQLException(schema.get() + ".crsql_changes does not exist: the driver makes crsql_changes per"
                        + " connection as a TEMP view of its own file, which an attached file does not have and no"
                        + " schema name but temp reaches. Name this file's as crsql_changes; read another file's on a"
                        + " jdbc:corrosion: connection to that file (or CorrosionConnection.changesSince) and merge the"
                        + " rows here with INSERT INTO crsql_changes (...) VALUES (?, ...) or applyChanges",
                        SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
    }

    /**
     * Refuses a replicated table with a UNIQUE constraint declared {@code ON CONFLICT REPLACE} beside a NOT NULL or
     * PRIMARY KEY constraint declared {@code ON CONFLICT IGNORE} or {@code FAIL}. SQLite checks REPLACE last, so a row
     * the other skips or stops deletes nothing; the driver's UNIQUE checks run before SQLite's own constraints, and the
     * rows such a row collides with would be deleted (and the deletes replicated) although the row itself never goes in.
     */
    static void refuseReplaceBesideSkippingConstraint(String sql, CreateTableShape shape) throws SQLException {
        boolean replaces = shape.uniques().stream().anyMatch(u -> "REPLACE".equals(u.onConflict()));
        Matcher m = SKIPPING_CONSTRAINT.matcher(sql);
        if (replaces && m.find()) {
            throw replaceBeside(m.group());
        }
    }

    /**
     * Refuses {@code ALTER TABLE ... ADD COLUMN} of a NOT NULL declared {@code ON CONFLICT IGNORE} or {@code FAIL} to
     * replicated {@code table} if it has a UNIQUE constraint declared {@code ON CONFLICT REPLACE}, as {@link
     * #refuseReplaceBesideSkippingConstraint} refuses the table.
     */
    static void refuseSkippingColumnBesideReplace(String alterSql, Connection c, String table) throws SQLException {
        Matcher m = SKIPPING_CONSTRAINT.matcher(alterSql);
        if (m.find() && UniqueChecks.hasReplaceConstraint(c, table)) {
            throw replaceBeside(m.group());
        }
    }

    private static SQLException replaceBeside(String constraint) {
        return new SQLException("A replicated table cannot have a UNIQUE constraint declared ON CONFLICT REPLACE"
                + " beside '" + constraint.replaceAll("\\s+", " ") + "': the driver checks UNIQUE before SQLite"
                + " checks that constraint, so a row it skips would still delete the rows it collides with. Leave"
                + " one of the two clauses out (a statement's INSERT OR REPLACE / OR IGNORE works with either)",
                SqlErrors.FEATURE_NOT_SUPPORTED);
    }

    static void refuseRecursiveTriggers(String sql) throws SQLException {
        Matcher m = RECURSIVE_TRIGGERS_ON.matcher(sql);
        if (m.lookingAt()) {
            String v = m.group(1).toLowerCase(Locale.ROOT);
            if (!(v.equals("0") || v.equals("off") || v.equals("false") || v.equals("no"))) {
                throw new SQLException("PRAGMA recursive_triggers = ON is refused: with it, INSERT OR REPLACE fires the"
                        + " delete capture of replicated tables, which cr-sqlite does not, and this node's changes would no"
                        + " longer merge like the other nodes'. Leave recursive_triggers off.", "0A000");
            }
        }
    }

    /**
     * Refuses, before anything runs, SQL that alters a replicated table beside writes to it (in one string, or in one
     * batch of strings), or that drops a replicated table and creates it again in one string. Capture is off for a
     * table while it is altered, so writes beside the ALTER would not replicate (they did not); a table dropped and
     * created again in one string was left without its capture. Each works as statements of their own.
     */
    void refuseMixed(List<SqlPlan> plans, NodeConnection c) throws SQLException {
        Set<String> altered = new HashSet<>();
        for (SqlPlan plan : plans) {
            for (StatementPlan s : plan.statements()) {
                if (s.kind() == StatementKind.ALTER_TABLE) {
                    replicatedTarget(s, c).ifPresent(altered::add);
                }
            }
        }
        for (SqlPlan plan : plans) {
            Set<String> dropped = new HashSet<>();
            for (StatementPlan s : plan.statements()) {
                if (!altered.isEmpty() && s.kind().isDml() && (s.tables().isEmpty()
                        || s.tables().stream().anyMatch(t -> altered.contains(lower(t))))) {
                    throw new SQLException("ALTER TABLE of a replicated table cannot run in one SQL string or batch"
                            + " with writes to it (" + s.sql().strip() + "): capture is off while the table is altered,"
                            + " so those writes would not replicate. Run the ALTER TABLE on its own.", "0A000");
                }
                if (s.kind() == StatementKind.DROP_TABLE) {
                    replicatedTarget(s, c).ifPresent(dropped::add);
                } else if (s.kind() == StatementKind.CREATE_TABLE && s.table().map(t -> dropped.contains(lower(t)))
                        .orElse(false)) {
                    throw new SQLException("DROP TABLE and CREATE TABLE of replicated table " + s.table().get()
                            + " cannot run in one SQL string: the table created again would not be set up for"
                            + " replication. Run them as statements of their own.", "0A000");
                }
            }
        }
    }

    /** The statement's table in lower case, if it is a replicated table of this file. */
    private Optional<String> replicatedTarget(StatementPlan s, NodeConnection c) throws SQLException {
        Optional<String> table = s.table();
        return table.isPresent() && policy.replicates(s) && c.session.crrName(table.get()) != null
                ? table.map(SchemaRefusals::lower) : Optional.empty();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
