package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.StatementHook;
import java.sql.SQLException;
import java.util.List;
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
     * The replication agent merged remote changes into these rows of {@code table} (primary keys in cr-sqlite's packed
     * encoding), in its transaction on {@code connection}, which is still open: whatever the extension does with them
     * commits or rolls back with the merge.
     */
    default void rowsMerged(SQLiteConnection connection, String table, List<byte[]> packedKeys) throws SQLException {}

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
