package io.corrosion.jdbc.replication;

import io.corrosion.jdbc.crr.Change;
import io.corrosion.jdbc.crr.CrrSession;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * The CRR engine on one of the agent's own connections: the little the agent needs of it. Not thread-safe, like the
 * connection.
 */
final class CrrAccess implements AutoCloseable {
    /** SQLStates the engine gives a change for a table or column this node does not have. */
    static final String MISSING_TABLE = "42S02";
    static final String MISSING_COLUMN = "42S22";
    /** SQLState of a malformed change (bad packed key for the table, wrong types). */
    static final String BAD_CHANGE = "22023";

    private final SQLiteConnection connection;
    private final CrrSession session;

    CrrAccess(SQLiteConnection connection, CrrSession session) {
        this.connection = connection;
        this.session = session;
    }

    SQLiteConnection connection() {
        return connection;
    }

    byte[] siteId() {
        return session.siteId();
    }

    /** The committed local db version. */
    long dbVersion() throws SQLException {
        return session.dbVersion();
    }

    /** Changes of one site with db versions in [from, to], by db version and seq. */
    List<Change> changes(byte[] site, long from, long to) throws SQLException {
        return session.changes(site, from, to);
    }

    /** Merges changes atomically in the open transaction. Returns the rows impacted. */
    long apply(List<Change> changes) throws SQLException {
        return session.apply(changes);
    }

    /** The CRRs of this file, by name. */
    List<String> crrTables() throws SQLException {
        return session.crrTables();
    }

    static boolean isMissingSchema(SQLException e) {
        return MISSING_TABLE.equals(e.getSQLState()) || MISSING_COLUMN.equals(e.getSQLState());
    }

    @Override
    public void close() throws SQLException {
        try {
            session.close();
        } finally {
            connection.close();
        }
    }
}
