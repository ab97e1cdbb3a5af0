package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.StatementHook;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * What a later layer (the CRR engine, the replication agent) plugs into one database file. One instance per
 * {@link CorrosionDatabase}, created by a {@link Factory} when the file's first connection opens and closed when
 * the database shuts down ({@link CorrosionDriver#shutdown}, {@link CorrosionDataSource#close()}, JVM exit) — not
 * when the last connection closes.
 */
public interface DatabaseExtension {

    /** The extension of a plain database: nothing to set up, every statement runs as written. */
    DatabaseExtension NONE = new DatabaseExtension() {
        @Override
        public String toString() {
            return "DatabaseExtension.NONE";
        }
    };

    /**
     * Runs on every physical connection of the file before anyone uses it: the application's connections and those
     * from {@link CorrosionDatabase#openPhysicalConnection()}. The place to register sqlite-jdbc Java functions
     * ({@code org.sqlite.Function.create}, which are per connection) and commit/rollback/update listeners. A thrown
     * exception closes the connection and fails the {@code getConnection} call.
     */
    default void setUpConnection(SQLiteConnection connection) throws SQLException {}

    /** Runs after the application closed one of its connections; the physical connection is already closed. */
    default void connectionClosed(SQLiteConnection connection) {}

    /** The hook the proxies call for every statement but plain reads. */
    default StatementHook statementHook() {
        return StatementHook.NONE;
    }

    /** The CRR API that {@link CorrosionConnection} offers on this physical connection (an application's). */
    default CrrApi crrApi(SQLiteConnection connection) {
        return CrrApi.NONE;
    }

    /**
     * Opens a connection of the driver's own for the replication agent ({@link AgentConnection}): merges on it never
     * get stuck on the application's constraints. The caller closes it.
     *
     * @throws SQLException SQLState 0A000 if the extension has no CRR engine (or the database is in memory)
     */
    default AgentConnection openAgentConnection() throws SQLException {
        throw new SQLException("Replication needs the CRR engine, which this database does not run",
                SqlErrors.FEATURE_NOT_SUPPORTED);
    }

    /** Stops whatever the extension runs for the file. Called once; must not throw. */
    default void close() {}

    /** Creates the extension of a database file. */
    @FunctionalInterface
    interface Factory {
        /** The factory of databases without extensions. */
        Factory NONE = database -> DatabaseExtension.NONE;

        /**
         * Called once per database file (once per connection for in-memory databases), before its first connection
         * opens. {@code database} can already open physical connections.
         */
        DatabaseExtension create(CorrosionDatabase database) throws SQLException;
    }
}
