package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * cr-sqlite's per-file settings ({@code crsql_config_get/set}), kept in {@code crsql_master} as {@code config.<name>};
 * the one there is, {@code merge-equal-values}, is read once per transaction by merges.
 */
final class CrrConfig {
    static final String MERGE_EQUAL_VALUES = "merge-equal-values";

    private final SQLiteConnection conn;
    private final TxState tx;
    private final Statements statements;

    CrrConfig(SQLiteConnection conn, TxState tx, Statements statements) {
        this.conn = conn;
        this.tx = tx;
        this.statements = statements;
    }

    /** Whether merges break ties between equal values by site id, as read by this transaction. */
    boolean mergeEqualValues() throws SQLException {
        if (tx.mergeEqualValues == null) {
            tx.mergeEqualValues = isOn(get(MERGE_EQUAL_VALUES));
        }
        return tx.mergeEqualValues;
    }

    static boolean isOn(Object value) {
        return value instanceof Long l && l == 1;
    }

    Object get(String name) throws SQLException {
        PreparedStatement p = statements.prepare("SELECT value FROM " + CrrMetadata.MASTER + " WHERE key = ?");
        return FirstRow.read(p, new Object[] {"config." + name}, row -> row.getObject(0), null);
    }

    void set(String name, Object value) throws SQLException {
        if (!name.equals(MERGE_EQUAL_VALUES)) {
            throw new SQLException("unknown crsql config " + name + "; known: " + MERGE_EQUAL_VALUES, "42000");
        }
        try (PreparedStatement p = conn.prepareStatement(
                "INSERT OR REPLACE INTO " + CrrMetadata.MASTER + " (key, value) VALUES (?, ?)")) {
            p.setString(1, "config." + MERGE_EQUAL_VALUES);
            p.setObject(2, value);
            p.executeUpdate();
        }
        tx.mergeEqualValues = null;
    }
}
