package io.corrosion.jdbc.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;

/**
 * The replicated tables and columns this node dropped ({@code DROP TABLE} with its columns, {@code ALTER TABLE ... DROP
 * COLUMN}, the old names of a {@code RENAME COLUMN} or {@code RENAME TO}), until it has them again. Changes of other
 * nodes for a table or column the node lacks are kept until its schema has it (each node runs its own migrations), but
 * one it dropped may never come back: nodes that have not dropped it yet go on writing it, and those changes would fill
 * the bound of kept changes for good. The replication agent keeps them outside that bound (still passed on to peers,
 * and merged if the name comes back). Recorded in {@value #TABLE} (names lower-cased by SQLite's
 * {@code lower()}, ASCII only, as SQLite matches names, here and wherever they are compared; column {@code ''} for a
 * whole table), written in the transaction of the DDL, so a rolled back drop leaves no entry.
 */
public final class DroppedSchema {
    /** The driver's own local table of dropped names. */
    public static final String TABLE = "__corrosion_dropped_schema";

    private DroppedSchema() {}

    /** Records that this node dropped {@code columns} of {@code table}, or the whole table when there are none. */
    static void dropped(Connection c, String table, Collection<String> columns) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (tbl TEXT NOT NULL, col TEXT NOT NULL,"
                    + " PRIMARY KEY (tbl, col)) WITHOUT ROWID");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO " + TABLE
                + " (tbl, col) VALUES (lower(?), lower(?))")) {
            p.setString(1, table);
            for (String column : columns.isEmpty() ? List.of("") : columns) {
                p.setString(2, column);
                p.executeUpdate();
            }
        }
    }

    /** After DDL made or changed {@code table}: what it has now is no longer dropped. */
    static void present(Connection c, String table) throws SQLException {
        if (!exists(c)) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE tbl = lower(?) AND (col = ''"
                + " OR col IN (SELECT lower(name) FROM pragma_table_info(?)))")) {
            p.setString(1, table);
            p.setString(2, table);
            p.executeUpdate();
        }
    }

    /** True if this node dropped {@code table}, or its column {@code column}, and has not got it back since. */
    public static boolean isDropped(Connection c, String table, String column) throws SQLException {
        if (!exists(c)) {
            return false;
        }
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM " + TABLE + " WHERE tbl = lower(?) AND col IN ('', lower(?))")) {
            p.setString(1, table);
            p.setString(2, column);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** True if the node ever dropped a replicated table or column: the table is there. */
    public static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, TABLE);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }
}
