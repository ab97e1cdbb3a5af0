package io.corrosion.jdbc.proxy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * A statement's generated key when the driver knows it (the key it bound to an INSERT, or the last row a string of
 * statements inserted), and {@code getGeneratedKeys()}'s answer with it: one row, one column, as sqlite-jdbc's
 * {@code SELECT last_insert_rowid()} shows it. Without one, sqlite-jdbc's own generated keys answer.
 */
final class KnownKey {
    private final SQLiteConnection connection;
    /** The key of the statement's last execution; null if the driver does not know it. */
    private Long key;
    /** {@code SELECT ? AS "last_insert_rowid()"}, prepared at the first answer. */
    private PreparedStatement query;

    KnownKey(SQLiteConnection connection) {
        this.connection = connection;
    }

    /** The last execution's key: null if the driver does not know it. */
    void set(Long key) {
        this.key = key;
    }

    /** An execution begins: its key is not known yet. */
    void forget() {
        key = null;
    }

    boolean isKnown() {
        return key != null;
    }

    /** The known key as sqlite-jdbc's generated keys result set shows it. */
    ResultSet resultSet() throws SQLException {
        if (query == null) {
            query = connection.prepareStatement("SELECT ? AS \"last_insert_rowid()\"");
        }
        query.setLong(1, key);
        return query.executeQuery();
    }

    /** SQLite's {@code last_insert_rowid()} on {@code connection} now. */
    static long lastInsertRowid(SQLiteConnection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The statement closes. */
    void close() throws SQLException {
        if (query != null) {
            query.close();
        }
    }
}
