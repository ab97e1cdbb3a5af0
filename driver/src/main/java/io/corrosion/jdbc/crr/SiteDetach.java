package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

/**
 * Takes the CRR engine's site identity out of a copy of a database file (a backup), as Corrosion's backup does: the
 * site that wrote the copy's local changes becomes one of its remote sites, under the same id and versions, and the
 * file has no local site until it is next opened, which gives it a new one ({@link CrrMetadata#bootstrap}). A node
 * started from such a copy is a new site that already holds its predecessor's changes: its commits never take versions
 * the predecessor's site already used, and the peers serve it whatever that site wrote after the copy was made.
 *
 * <p>In the copy: every clock field, version log entry and log range of the local site (ordinal 0) moves to a new
 * ordinal of the old site id; clock ranges, which are always the local site's, are written out as records first
 * ({@link ClockRanges#materializeAll}); the old site's highest version goes into {@code __corrosion_db_versions} as a
 * remote site's; the log's flushed watermark goes back to 0, the new site's start.
 */
public final class SiteDetach {
    /** The site the copy's local changes came from, and its highest version there. */
    public record FormerSite(byte[] siteId, long dbVersion) {}

    /** SQLState: the file is in use. */
    private static final String IN_USE = "55006";

    private SiteDetach() {}

    /**
     * Detaches the site of the file {@code opened} opens, which nothing else may have open. Three connections in turn:
     * the first makes sure of that; the second attaches the engine and closes it again, so that the version log holds
     * every local version (after an unclean stop, its recovery) and the file is marked cleanly closed; the third holds
     * the file alone and makes the change in one transaction. {@code alsoDetach} runs in that transaction after the
     * engine's part: the other layers' identity (key slot, replication bookkeeping). Empty for a file with no CRR
     * metadata, or one detached already.
     *
     * @param written {@code true} for a copy the caller has just written (nothing can have it open yet); otherwise the
     *                file must be in WAL mode, the only one in which SQLite shows whether a connection (a running
     *                node's) has it open
     */
    public static Optional<FormerSite> detach(Opener opened, boolean written, AlsoDetach alsoDetach)
            throws SQLException {
        try (SQLiteConnection c = opened.open()) {
            if (Journals.held(c)) {
                throw new SQLException("The database file is open in this JVM: shut it down (CorrosionDriver.shutdown)"
                        + " before taking its node identity out; only a copy (a backup) should lose it", IN_USE);
            }
            if (CrrMetadata.localSiteIdIfAny(c) == null) {
                return Optional.empty();
            }
            String mode = journalMode(c);
            if (!written && !mode.equalsIgnoreCase("wal")) {
                throw new SQLException("The database file is in journal_mode=" + mode + ", in which SQLite cannot tell"
                        + " whether a running node has it open, and its node identity must not change under it. With"
                        + " its node stopped, switch it to WAL (PRAGMA journal_mode=WAL) and run this again, or make a"
                        + " new copy of it (corrosion restore, BACKUP TO)", "55000");
            }
            claimAlone(c);
        }
        try (SQLiteConnection c = opened.open()) {
            CrrEngine.attach(c, true).close();
        }
        try (SQLiteConnection c = opened.open()) {
            claimAlone(c);
            return Optional.of(OwnTransaction.run(c, () -> {
                FormerSite former = detachInTransaction(c);
                alsoDetach.run(c, former);
                return former;
            }));
        }
    }

    /**
     * Takes the file's lock for as long as {@code c} is open ({@code locking_mode=EXCLUSIVE}), or fails if any other
     * connection has the file open, a running node's in another process included: a live node's identity must never
     * change under it.
     */
    private static void claimAlone(SQLiteConnection c) throws SQLException {
        exec(c, "PRAGMA locking_mode = EXCLUSIVE");
        try {
            exec(c, "BEGIN IMMEDIATE");
            exec(c, "COMMIT");
        } catch (SQLException e) {
            if ((e.getErrorCode() & 0xff) != SQLiteErrorCode.SQLITE_BUSY.code) {
                throw e;
            }
            throw new SQLException("The database file is open elsewhere (a running node, or another connection);"
                    + " only a copy that nothing has open can lose its node identity", IN_USE, e);
        }
    }

    private static String journalMode(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** Opens a plain connection to the file being detached. */
    @FunctionalInterface
    public interface Opener {
        SQLiteConnection open() throws SQLException;
    }

    /** What else a detach changes in its transaction. */
    @FunctionalInterface
    public interface AlsoDetach {
        void run(SQLiteConnection c, FormerSite former) throws SQLException;
    }

    private static FormerSite detachInTransaction(SQLiteConnection c) throws SQLException {
        byte[] site = CrrMetadata.localSiteId(c);
        long version = single(c, "SELECT max(" + CrrMetadata.persistedLocalDbVersionExpr() + ", COALESCE((SELECT value"
                + " FROM " + CrrMetadata.MASTER + " WHERE key = '" + LocalJournal.FLUSHED_KEY + "'), 0))");
        List<TableInfo> tables = new ArrayList<>(new CrrCatalog(c).tables());
        for (TableInfo t : tables) {
            ClockRanges.materializeAll(c, t);
        }
        long ordinal = single(c, "SELECT COALESCE(max(ordinal), 0) + 1 FROM " + CrrMetadata.SITE_ID);
        exec(c, "UPDATE " + CrrMetadata.SITE_ID + " SET ordinal = " + ordinal + " WHERE ordinal = 0");
        for (TableInfo t : tables) {
            StringJoiner set = new StringJoiner(", ");
            StringJoiner local = new StringJoiner(" OR ");
            for (int slot = 0; slot <= t.maxSlot(); slot++) {
                String field = Sql.f(slot, "site");
                set.add(field + " = CASE WHEN " + field + " = 0 THEN " + ordinal + " ELSE " + field + " END");
                local.add(field + " = 0");
            }
            exec(c, "UPDATE " + Sql.ident(t.clockTable()) + " SET " + set + " WHERE " + local);
        }
        exec(c, "UPDATE " + CrrMetadata.LOG + " SET site = " + ordinal + " WHERE site = 0");
        exec(c, "UPDATE " + CrrMetadata.LOG_RANGES + " SET site = " + ordinal + " WHERE site = 0");
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + CrrMetadata.DB_VERSIONS_TABLE
                + " (site_id, db_version) VALUES (?, ?) ON CONFLICT (site_id) DO UPDATE SET"
                + " db_version = max(db_version, excluded.db_version)")) {
            p.setBytes(1, site);
            p.setLong(2, version);
            p.executeUpdate();
        }
        exec(c, "UPDATE " + CrrMetadata.MASTER + " SET value = 0 WHERE key = '" + LocalJournal.FLUSHED_KEY + "'");
        return new FormerSite(site, version);
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
