package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.proxy.ConnectionProxy;
import io.corrosion.jdbc.replication.NodeReplication;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.BusyHandler;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/**
 * One database file as this JVM sees it: shared by every connection and pool on the file, created by the first
 * connection and kept until {@link CorrosionDriver#shutdown}, {@link CorrosionDataSource#close()} or JVM exit —
 * not until the last connection closes, so a pool cycling its connections never restarts the node. An in-memory
 * database is one of these per connection and ends with it.
 *
 * <p>Holds the node settings fixed by the first connection and the file's {@link DatabaseExtension} (later: the CRR
 * engine and the replication agent).
 */
public final class CorrosionDatabase {
    private static final Logger log = LoggerFactory.getLogger(CorrosionDatabase.class);

    private final Optional<String> path;
    private final CorrosionConfig config;
    private final Interceptor interceptor;
    private final Set<ConnectionProxy> openConnections = ConcurrentHashMap.newKeySet();
    private final DatabaseExtension extension;
    private final NodeReplication replication;
    private volatile boolean closed;

    CorrosionDatabase(Optional<String> path, CorrosionConfig config, Interceptor interceptor,
            DatabaseExtension.Factory extensions) throws SQLException {
        this.path = path;
        this.config = config;
        this.interceptor = interceptor;
        this.extension = extensions.create(this);
        try {
            this.replication = path.isEmpty() ? NodeReplication.NONE
                    : NodeReplication.open(path.get(), config.node(), extension::openAgentConnection);
        } catch (SQLException | RuntimeException e) {
            extension.close();
            throw e;
        }
        log.debug("Opened database {} with {}", describe(), extension);
    }

    /** The canonical path of the file; empty for an in-memory database. */
    public Optional<String> path() {
        return path;
    }

    /** The configuration of the connection that opened the file. */
    public CorrosionConfig config() {
        return config;
    }

    /** The settings every connection on this file shares. */
    public CorrosionConfig.NodeSettings node() {
        return config.node();
    }

    public boolean isClosed() {
        return closed;
    }

    /** The file's replication: its agent when the node settings have bind/seeds, tokens, listeners, members. */
    public NodeReplication replication() {
        return replication;
    }

    /** The file's extension (the CRR engine and key allocator). */
    DatabaseExtension extension() {
        return extension;
    }

    /** Connections the application holds open on this file now. */
    public int openConnectionCount() {
        return openConnections.size();
    }

    /**
     * A new physical connection to the file with the first connection's sqlite settings, after the extension's
     * per-connection setup. For the driver's own work (e.g. the replication agent applying changesets); the caller
     * closes it. Not available for in-memory databases, whose data lives in their one connection.
     */
    public SQLiteConnection openPhysicalConnection() throws SQLException {
        if (path.isEmpty()) {
            throw new SQLException("An in-memory database has no second connection", SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        return openSetUp(config, lockWait(config, LockWait.Contention.NONE));
    }

    /** A connection for the application, configured by {@code connectionConfig}. */
    ConnectionProxy connect(CorrosionConfig connectionConfig) throws SQLException {
        if (closed) {
            throw new SQLException("Database " + describe() + " is shut down", SqlErrors.CONNECTION_CLOSED);
        }
        LockWait lockWait = lockWait(connectionConfig, replication.transactionGate());
        SQLiteConnection raw = openSetUp(connectionConfig, lockWait);
        ConnectionProxy proxy = new ConnectionProxy(raw, connectionConfig, path, interceptor,
                extension.statementHook(), extension.crrApi(raw), replication, lockWait, this::closed);
        openConnections.add(proxy);
        if (closed) {
            // Shut down while this connection was being set up: close() may not have seen it, and its engine is gone.
            proxy.close();
            throw new SQLException("Database " + describe() + " is shut down", SqlErrors.CONNECTION_CLOSED);
        }
        return proxy;
    }

    private static LockWait lockWait(CorrosionConfig c, LockWait.Contention contention) {
        return new LockWait(Long.parseLong(c.sqliteProperties().getOrDefault(CorrosionProperty.BUSY_TIMEOUT.key(),
                "5000")), contention);
    }

    private SQLiteConnection openSetUp(CorrosionConfig c, LockWait lockWait) throws SQLException {
        SQLiteConnection raw = open(c, lockWait);
        try {
            extension.setUpConnection(raw);
            return raw;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(raw, e);
            throw e instanceof SQLException sql ? SqlErrors.translate(sql)
                    : new SQLException("Connection setup failed: " + e, SqlErrors.GENERAL_ERROR, e);
        }
    }

    private static SQLiteConnection open(CorrosionConfig c, LockWait lockWait) throws SQLException {
        try {
            SQLiteConnection raw = JDBC.createConnection(c.sqliteUrl(), c.toSqliteProperties());
            if (raw == null) {
                throw new SQLException("sqlite-jdbc refused " + c.sqliteUrl(), SqlErrors.BAD_CONNECTION_PROPERTY);
            }
            BusyHandler.setHandler(raw, lockWait);
            return raw;
        } catch (SQLException e) {
            throw SqlErrors.translate(e);
        } catch (RuntimeException e) {
            // sqlite-jdbc parses pragma values itself and throws e.g. NumberFormatException for bad ones
            throw new SQLException("Cannot open " + c.sqliteUrl() + ": " + e, SqlErrors.BAD_CONNECTION_PROPERTY, e);
        }
    }

    private void closed(ConnectionProxy proxy) {
        openConnections.remove(proxy);
        extension.connectionClosed(proxy.physical());
        if (path.isEmpty()) {
            close(); // an in-memory database lives as long as its one connection
        }
    }

    /** Stops the extension and closes every connection still open on the file. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        replication.close();
        for (ConnectionProxy c : List.copyOf(openConnections)) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("Closing a connection of {} failed during shutdown", describe(), e);
            }
        }
        try {
            extension.close();
        } catch (RuntimeException e) {
            log.warn("Extension of {} failed to close", describe(), e);
        }
        log.debug("Closed database {}", describe());
    }

    private String describe() {
        return path.orElse(":memory:");
    }

    private static void closeQuietly(SQLiteConnection raw, Throwable failure) {
        try {
            raw.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "CorrosionDatabase[" + describe() + (closed ? ", closed" : "") + "]";
    }
}
