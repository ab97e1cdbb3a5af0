package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * What a {@link LocalJournal} persists beside the version log: the flushed watermark ({@value LocalJournal#FLUSHED_KEY}
 * in {@code crsql_master}: local versions up to it are in the log), the local floor in {@code __corrosion_db_versions}
 * (the lowest the local db version may ever be again) and whether the file was closed cleanly
 * ({@value LocalJournal#CLEAN_KEY}).
 */
final class JournalMarks {
    private JournalMarks() {}

    private static final String WATERMARK_UPSERT = "INSERT INTO " + CrrMetadata.MASTER + " (key, value) VALUES ('"
            + LocalJournal.FLUSHED_KEY + "', ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)";
    private static final String FLOOR_UPSERT = "INSERT INTO " + CrrMetadata.DB_VERSIONS_TABLE
            + " (site_id, db_version) SELECT site_id, ? FROM " + CrrMetadata.SITE_ID + " WHERE ordinal = 0"
            + " ON CONFLICT (site_id) DO UPDATE SET db_version = max(db_version, excluded.db_version)";
    private static final String WATERMARK = "SELECT COALESCE((SELECT value FROM " + CrrMetadata.MASTER + " WHERE key = '"
            + LocalJournal.FLUSHED_KEY + "'), 0)";

    /** The watermark and, as the local floor, the same version. */
    static void write(Statements statements, long upTo) throws SQLException {
        PreparedStatement p = statements.prepare(WATERMARK_UPSERT);
        p.setLong(1, upTo);
        p.executeUpdate();
        writeFloor(statements, upTo);
    }

    /** Records {@code dbVersion} as the lowest the local db version may ever be again. */
    static void writeFloor(Statements statements, long dbVersion) throws SQLException {
        if (dbVersion <= 0) {
            return;
        }
        PreparedStatement p = statements.prepare(FLOOR_UPSERT);
        p.setLong(1, dbVersion);
        p.executeUpdate();
    }

    static long read(SQLiteConnection c) throws SQLException {
        return longOf(c, WATERMARK);
    }

    static long read(Statements statements) throws SQLException {
        try (ResultSet rs = statements.prepare(WATERMARK).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The clean-close mark: 1 closed cleanly, 0 open or stopped uncleanly, -1 none yet (a new file). */
    static long cleanMark(SQLiteConnection c) throws SQLException {
        return longOf(c, "SELECT COALESCE((SELECT value FROM " + CrrMetadata.MASTER + " WHERE key = '"
                + LocalJournal.CLEAN_KEY + "'), -1)");
    }

    static void setClean(SQLiteConnection c, boolean clean) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + CrrMetadata.MASTER
                + " (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, LocalJournal.CLEAN_KEY);
            p.setLong(2, clean ? 1 : 0);
            p.executeUpdate();
        }
    }

    static long longOf(SQLiteConnection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
