package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.CrrTableDdl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@code ALTER TABLE ... DROP COLUMN} of a table without a key of its own, which has the hidden key besides its
 * columns: SQLite would drop its only column, or the last one that is not generated, and leave a table of the hidden
 * key alone. Refused as plain SQLite refuses it, with SQLite's error (the driver's translation gives it the same
 * SQLState), and nothing dropped.
 */
final class OnlyColumnDrops {
    /** A column of the table besides the hidden key: its name and whether it is generated. */
    private record Column(String name, boolean generated) {}

    private OnlyColumnDrops() {}

    /**
     * Before the ALTER runs, where SQLite checks it: once the column is found, before the schema is (an index on the
     * column, or a generated column computed from it, would fail first otherwise). Not as SQLite, this comes before an
     * error of another object of the schema that SQLite finds broken already (a trigger naming a dropped table).
     */
    static void refuseBefore(String alterSql, Connection raw, String table) throws SQLException {
        refuse(alterSql, raw, table, false);
    }

    /**
     * After it ran, before the table's CRR is updated (the DDL scope undoes it): what the check before could not see,
     * the columns that a string dropping them one by one left; {@code alterSql} is the string's last ALTER of the table.
     */
    static void refuseAfter(String alterSql, Connection raw, String table) throws SQLException {
        refuse(alterSql, raw, table, true);
    }

    private static void refuse(String alterSql, Connection raw, String table, boolean ran) throws SQLException {
        Optional<String> dropped = CrrTableDdl.droppedColumn(alterSql);
        if (dropped.isEmpty() || !hasHiddenKey(raw, table)) {
            return;
        }
        List<Column> left = columns(raw, table);
        if (!ran && !left.removeIf(column -> column.name().equalsIgnoreCase(dropped.get()))) {
            return; // SQLite's "no such column"
        }
        if (left.isEmpty()) {
            throw sqliteError("cannot drop column \"" + dropped.get() + "\": no other columns exist");
        }
        if (left.stream().allMatch(Column::generated)) {
            throw sqliteError("error in table " + table + " after drop column: must have at least one non-generated column");
        }
    }

    /** SQLite's error as sqlite-jdbc words it. */
    private static SQLiteException sqliteError(String detail) {
        SQLiteErrorCode code = SQLiteErrorCode.SQLITE_ERROR;
        return new SQLiteException("[" + code.name() + "] " + code.message + " (" + detail + ")", code);
    }

    private static boolean hasHiddenKey(Connection raw, String table) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("SELECT 1 FROM pragma_table_info(?, 'main') WHERE pk > 0 AND name = ?")) {
            p.setString(1, table);
            p.setString(2, CrrTableDdl.ROW_ID_COLUMN);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The table's columns besides the hidden key (generated ones too: table_xinfo), in order. */
    private static List<Column> columns(Connection raw, String table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement p = raw.prepareStatement("SELECT name, hidden FROM pragma_table_xinfo(?, 'main')"
                + " WHERE hidden != 1 AND name != ? ORDER BY cid")) {
            p.setString(1, table);
            p.setString(2, CrrTableDdl.ROW_ID_COLUMN);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Column(rs.getString(1), rs.getInt(2) != 0));
                }
            }
        }
        return out;
    }
}
