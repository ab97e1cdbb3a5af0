package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.intercept.GeneratorStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * A connection's {@code last_insert_rowid()}, which the application reads (and sqlite-jdbc's generated keys with it)
 * as the key of its own last row: the driver's own inserts on the application's connection (the setup of a file's
 * first connection, the CRR setup of a CREATE TABLE) must leave it as they found it. SQLite has no SQL that sets it;
 * an insert of that rowid into the connection's one-row TEMP table ({@value GeneratorStatements#ACK_TABLE}, created by
 * {@link KeysExtension#setUpConnection} with rowid 1 and {@code v = 0} for good) does, and deleting the row again
 * leaves it set.
 */
public final class LastInsertRowid {
    private static final String TABLE = "temp." + GeneratorStatements.ACK_TABLE;

    private LastInsertRowid() {}

    public static long of(SQLiteConnection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Sets it back to {@code rowid} if the driver's inserts since changed it. */
    public static void restore(SQLiteConnection connection, long rowid) throws SQLException {
        if (of(connection) == rowid) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            // REPLACE: rowid 1 is the table's own row, whose value never changes
            s.executeUpdate("INSERT OR REPLACE INTO " + TABLE + " (rowid, v) VALUES (" + rowid + ", 0)");
            s.executeUpdate("DELETE FROM " + TABLE + " WHERE rowid = " + rowid + " AND rowid <> 1");
        }
    }
}
