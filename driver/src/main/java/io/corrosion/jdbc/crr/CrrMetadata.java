package io.corrosion.jdbc.crr;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The per-file tables every CRR shares: site ids and their ordinals, config, the db versions seen per site,
 * the registry of CRRs and the version log. Created once per file by {@link #bootstrap}.
 */
final class CrrMetadata {
    static final int SITE_ID_LENGTH = 16;
    /**
     * Bumped when the layout of the internal tables changes; stored in crsql_master. 2: local log entries are written
     * by the journal ({@link LocalJournal}), not by the capture triggers. 3: the capture triggers call Java once per
     * row ({@code crsql_internal_stamp}). 4: runs of integer keys go to the log as ranges ({@link #LOG_RANGES}).
     * 5: the primary-key change trigger fires only for UPDATEs that set a key column ({@code UPDATE OF}), one-seq stamps
     * take two arguments; 6: large bulk inserts keep their clock records as ranges ({@link ClockRanges}); 7: the UNIQUE
     * checks let an UPSERT resolve a row whose key is taken ({@link UniqueChecks}); 8: they see the default a REPLACE
     * writes for a NULL in a NOT NULL column; 9: the statements of application
     * triggers' bodies that have a conflict clause or an UPSERT tell the checks so ({@link AppTriggers}); 10: no
     * {@code crsql_changes} view in the file, each connection makes a TEMP one when it uses it ({@link
     * ConnectionChangesView}); 11: the insert trigger leaves a key seen before to Java ({@code crsql_internal_reinsert}),
     * a shorter text to parse on open; 12: the UNIQUE checks step aside for a row that breaks a NOT NULL or CHECK
     * constraint, which SQLite checks first ({@link EarlierConstraints}), and every write of an application trigger's
     * body is bracketed ({@link AppTriggers}); 13: a REPLACE's delete in the UNIQUE checks runs as a statement of its
     * own ({@link ReplaceDeletes}), so the table's DELETE triggers are no part of every INSERT; the checks of a partial
     * unique index read the written row with its columns' affinity and collation ({@link WrittenRow}), and so do their
     * CHECK step-asides ({@link EarlierConstraints}), which take a key declared INT or BIGINT for no rowid key; 14: the
     * foreign-key violations a REPLACE's delete takes away count for the statement that runs the check: a table
     * {@code __corrosion_fk_owed}, a third trigger beside each index's checks and a statement in their bodies
     * ({@link ReplaceOrphans}); 15: and so do those it makes (rows left without their parent): a fourth trigger beside
     * each index's checks and two statements in their bodies ({@link ReplaceChildren}); and the application's DELETE
     * triggers hold back for a REPLACE's deletes, a guard in their WHEN (TriggerConflictRewrite). Every format change
     * recreates the capture triggers and the UNIQUE checks.
     */
    static final int FORMAT_VERSION = 15;

    static final String SITE_ID = "crsql_site_id";
    static final String MASTER = "crsql_master";
    static final String DB_VERSIONS_TABLE = "__corrosion_db_versions";
    static final String DB_VERSIONS_VIEW = "crsql_db_versions";
    static final String REGISTRY = "__corrosion_crr";
    static final String REGISTRY_COLUMNS = "__corrosion_crr_column";
    static final String LOG = "__corrosion_log";
    /**
     * Log entries of many integer keys at once: the keys {@code lo, lo + step, ..., hi} of one (site, db version,
     * table), as {@link LogWriter} finds them in a version's rows (a JDBC batch of generated keys is one range).
     */
    static final String LOG_RANGES = "__corrosion_log_range";
    /**
     * One row per CRR whose inserts the current statement captures in bulk ({@link BulkInserts}); its insert trigger
     * skips while the row exists. Only ever non-empty inside the writing transaction.
     */
    static final String BULK = "__corrosion_bulk";

    private static final SecureRandom RANDOM = new SecureRandom();

    private CrrMetadata() {}

    /** Creates the shared tables and this file's site id if they do not exist yet. Idempotent. */
    static void bootstrap(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + SITE_ID + " (site_id BLOB NOT NULL, ordinal INTEGER PRIMARY KEY)");
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS crsql_site_id_site_id ON " + SITE_ID + " (site_id)");
            s.execute("CREATE TABLE IF NOT EXISTS " + MASTER + " (key TEXT PRIMARY KEY, value ANY)");
            s.execute("CREATE TABLE IF NOT EXISTS " + DB_VERSIONS_TABLE
                    + " (site_id BLOB PRIMARY KEY, db_version INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + REGISTRY
                    + " (tbl INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, key_kind TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + REGISTRY_COLUMNS + " (tbl INTEGER NOT NULL, slot INTEGER NOT NULL,"
                    + " name TEXT NOT NULL, live INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (tbl, slot)) WITHOUT ROWID");
            // One entry per (site, db_version, table, row) whose clock holds at least one field of that version:
            // the access path for reads by site and version range. Stale entries are skipped by readers.
            s.execute(createBulk());
            s.execute(ReplaceOrphans.create());
            s.execute("CREATE TABLE IF NOT EXISTS " + LOG + " (site INTEGER NOT NULL, db_version INTEGER NOT NULL,"
                    + " tbl INTEGER NOT NULL, key NOT NULL, PRIMARY KEY (site, db_version, tbl, key)) WITHOUT ROWID");
            s.execute(createLogRanges());
            s.execute(ClockRanges.create());
            s.execute(dbVersionsView(true));
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT OR IGNORE INTO " + SITE_ID + " (site_id, ordinal) VALUES (?, 0)")) {
            byte[] site = new byte[SITE_ID_LENGTH];
            RANDOM.nextBytes(site);
            p.setBytes(1, site);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT OR IGNORE INTO " + MASTER + " (key, value) VALUES ('corrosion_format', ?)")) {
            p.setInt(1, FORMAT_VERSION);
            p.executeUpdate();
        }
    }

    /**
     * {@code crsql_db_versions}: the highest db version merged per site, won or lost, and this site's committed local
     * version (held by the journal: {@code crsql_internal_committed_dbv()}).
     */
    static String dbVersionsView(boolean ifNotExists) {
        String local = "(SELECT site_id FROM " + SITE_ID + " WHERE ordinal = 0)";
        return "CREATE VIEW " + (ifNotExists ? "IF NOT EXISTS " : "") + DB_VERSIONS_VIEW + " (site_id, db_version) AS"
                + " SELECT site_id, db_version FROM " + DB_VERSIONS_TABLE + " WHERE site_id IS NOT " + local
                + " UNION ALL SELECT " + local + ", v FROM (SELECT crsql_internal_committed_dbv() AS v) WHERE v > 0";
    }

    /**
     * SQL expression for the local db version the file records: the highest local version in the log, or the floor
     * kept in {@code __corrosion_db_versions} (the journal adds what it has not flushed yet).
     */
    static String persistedLocalDbVersionExpr() {
        return "max(COALESCE((SELECT max(db_version) FROM " + LOG + " WHERE site = 0), 0), COALESCE((SELECT max(db_version)"
                + " FROM " + LOG_RANGES + " WHERE site = 0), 0), COALESCE((SELECT db_version FROM "
                + DB_VERSIONS_TABLE + " WHERE site_id = (SELECT site_id FROM " + SITE_ID + " WHERE ordinal = 0)), 0))";
    }

    /**
     * The format the file's metadata has; a newer one than this code's is refused: its metadata (e.g. clock ranges from
     * format 6 on for a driver of format 5) would be misread, and written wrongly.
     */
    static long readableFormat(Connection c) throws SQLException {
        long format = format(c);
        if (format > FORMAT_VERSION) {
            throw new SQLException("this database's replication metadata has format " + format + ", written by a newer"
                    + " corrosion-jdbc; this one reads formats up to " + FORMAT_VERSION + ": open it with that version or"
                    + " a later one", CrrErrors.SCHEMA_NOT_SUPPORTED);
        }
        return format;
    }

    /** The format the file's metadata has: 0 before bootstrap. */
    static long format(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COALESCE((SELECT value FROM " + MASTER + " WHERE key = 'corrosion_format'), 0)")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Format 1 to 2, the shared part: the db versions view reads the journal, the log so far is all flushed. */
    static void migrateShared(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS " + DB_VERSIONS_VIEW);
            s.execute(dbVersionsView(false));
            s.execute("INSERT OR REPLACE INTO " + MASTER + " (key, value) SELECT '" + LocalJournal.FLUSHED_KEY + "', "
                    + persistedLocalDbVersionExpr());
        }
        setFormat(c);
    }

    static String createLogRanges() {
        return "CREATE TABLE IF NOT EXISTS " + LOG_RANGES + " (site INTEGER NOT NULL, db_version INTEGER NOT NULL,"
                + " tbl INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, step INTEGER NOT NULL,"
                + " PRIMARY KEY (site, db_version, tbl, lo)) WITHOUT ROWID";
    }

    /**
     * SQL condition: the clock key {@code key} of {@code t} is one of the keys of the range row {@code range}. Only
     * integers are: a REAL or TEXT key of a table without an INTEGER PRIMARY KEY never is.
     */
    static String inLogRange(TableInfo t, String key, String range) {
        return (t.keyKind() == TableInfo.KeyKind.ROWID ? "" : "typeof(" + key + ") = 'integer' AND ") + key + " BETWEEN "
                + range + ".lo AND " + range + ".hi AND (" + key + " - " + range + ".lo) % " + range + ".step = 0";
    }

    static String createBulk() {
        return "CREATE TABLE IF NOT EXISTS " + BULK + " (tbl INTEGER PRIMARY KEY)";
    }

    /** Records that the file's metadata has this code's format. */
    static void setFormat(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT OR REPLACE INTO " + MASTER + " (key, value) VALUES ('corrosion_format', " + FORMAT_VERSION + ")");
        }
    }

    static byte[] localSiteId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT site_id FROM " + SITE_ID + " WHERE ordinal = 0")) {
            if (!rs.next()) {
                throw new SQLException("crsql_site_id has no local site id (ordinal 0): the file is a copy whose node"
                        + " identity was taken out; open it once writable to give it a new one", "HY000");
            }
            return rs.getBytes(1);
        }
    }

    /**
     * The file's local site id; null if it has none yet: no shared tables, or a copy whose site was detached
     * ({@link SiteDetach}), which gets a new one on its next open ({@link #bootstrap}).
     */
    static byte[] localSiteIdIfAny(Connection c) throws SQLException {
        if (!isBootstrapped(c)) {
            return null;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT site_id FROM " + SITE_ID + " WHERE ordinal = 0")) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    /** The crsql_master key of the highest CRR id ever given in this file. */
    static final String LAST_TABLE_ID_KEY = "corrosion_last_table_id";

    /**
     * A CRR id no table of this file ever had, recorded as given (in the caller's transaction). An id is never given
     * twice: the version log, the journal's entries not yet delivered to listeners and the agent name tables by id, and a
     * reused one would map a dropped table's rows onto a table with another key. Files from before the record take the
     * highest id their registry or log still names (once: the log's scan is not on every CREATE TABLE).
     */
    static long nextTableId(Connection c) throws SQLException {
        String given = "(SELECT value FROM " + MASTER + " WHERE key = '" + LAST_TABLE_ID_KEY + "')";
        String known = "COALESCE((SELECT max(tbl) FROM " + REGISTRY + "), 0)";
        long id;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CASE WHEN " + given
                + " IS NOT NULL THEN max(" + given + ", " + known + ") ELSE max(" + known + ", COALESCE((SELECT max(tbl)"
                + " FROM " + LOG + "), 0), COALESCE((SELECT max(tbl) FROM " + LOG_RANGES + "), 0)) END + 1")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO " + MASTER + " (key, value) VALUES (?, ?)")) {
            p.setString(1, LAST_TABLE_ID_KEY);
            p.setLong(2, id);
            p.executeUpdate();
        }
        return id;
    }

    static boolean isBootstrapped(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + LOG + "'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }
}
