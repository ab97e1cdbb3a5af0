package io.corrosion.jdbc;

import io.corrosion.jdbc.crr.ReaderLog;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.proxy.ConnectionProxy;
import io.corrosion.jdbc.replication.NodeReplication;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.BusyHandler;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * One database file as this JVM sees it: shared by every connection and pool on the file, created by the first
 * connection and kept until {@link CorrosionDriver#shutdown}, {@link CorrosionDataSource#close()} or JVM exit —
 * not until the last connection closes, so a pool cycling its connections never restarts the node. An in-memory
 * database is one of these per connection and ends with it.
 *
 * <p>Holds the node settings fixed by the first connection and the file's {@link DatabaseExtension} (later: the CRR
 * engine and the replication agent).
 *
 * <p>One process writes a file through the driver: the one that holds its {@link NodeLock}. While another process
 * holds it, this one opens the file read-only (a replicating node is refused: it would be a second node on the file).
 */
public final class CorrosionDatabase {
    private static final Logger log = LoggerFactory.getLogger(CorrosionDatabase.class);

    private final Optional<String> path;
    private final CorrosionConfig config;
    private final Interceptor interceptor;
    private final Set<ConnectionProxy> openConnections = ConcurrentHashMap.newKeySet();
    private final DatabaseExtension extension;
    private final NodeReplication replication;
    /** This process writes the file; null if it does not hold the lock (in memory, read-only, or another process). */
    private NodeLock nodeLock;
    /** Another process writes the file: this one opens it read-only. */
    private boolean writtenElsewhere;
    /** The lock was tried (at the first connection that may write): the two fields above hold. Guarded by this. */
    private boolean lockDecided;
    private volatile boolean closed;

    CorrosionDatabase(Optional<String> path, CorrosionConfig config, Interceptor interceptor,
            DatabaseExtension.Factory extensions) throws SQLException {
        this.path = path;
        this.config = config;
        this.interceptor = interceptor;
        readOnlyFor(config); // takes the lock, or refuses a second node, before anything opens
        try {
            this.extension = extensions.create(this);
        } catch (SQLException | RuntimeException e) {
            releaseNodeLock();
            throw e;
        }
        try {
            this.replication = path.isEmpty() ? NodeReplication.NONE
                    : NodeReplication.open(path.get(), config.node(), extension::openAgentConnection);
        } catch (SQLException | RuntimeException e) {
            extension.close();
            releaseNodeLock();
            throw e;
        }
        log.debug("Opened database {} with {}", describe(), extension);
    }

    /**
     * Whether a connection of {@code c} opens the file read-only: asked for, or another process writes the file. The
     * first connection that may write takes the lock (a database whose first connection only read takes it then).
     */
    private synchronized boolean readOnlyFor(CorrosionConfig c) throws SQLException {
        if (path.isEmpty()) {
            return false;
        }
        if (opensReadOnly(c)) {
            return true;
        }
        if (!lockDecided) {
            NodeLock.Outcome lock = takeNodeLock(Path.of(path.get()), config);
            nodeLock = lock instanceof NodeLock.Acquired a ? a.lock() : null;
            writtenElsewhere = lock instanceof NodeLock.HeldElsewhere;
            lockDecided = true;
            if (writtenElsewhere) {
                logUnflushed();
            }
        }
        return writtenElsewhere;
    }

    /**
     * What the writing process has not flushed to the version log yet goes there now, once, so that this process reads
     * its changes as of now ({@code crsql_changes}, {@code crsql_db_version()}); later ones it reads once flushed.
     */
    private void logUnflushed() {
        try (SQLiteConnection c = JDBC.createConnection(config.sqliteUrl(), config.toSqliteProperties())) {
            long entries = ReaderLog.logUnflushed(c);
            log.debug("Database {}: {} version log entries of the writing process logged for this reader", describe(),
                    entries);
        } catch (SQLException | RuntimeException e) {
            log.warn("Database {}: could not log the changes the writing process has not flushed yet; crsql_changes read"
                    + " here may lack its latest ones: {}", describe(), e.toString());
        }
    }

    private static NodeLock.Outcome takeNodeLock(Path file, CorrosionConfig config) throws SQLException {
        NodeLock.Outcome lock;
        try {
            lock = NodeLock.acquire(file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while opening " + file, SqlErrors.GENERAL_ERROR, e);
        }
        if (lock instanceof NodeLock.HeldElsewhere held) {
            String holder = held.holder().map(pid -> "process " + pid).orElse("another process");
            if (config.node().replicates()) {
                throw new SQLException("Database " + file + " is written by " + holder + ", which runs its node: one file"
                        + " is one node. A second process on it would commit under the same site id and db versions, and"
                        + " peers would drop one side's writes. Stop that process first, or give this one a file of its own",
                        "55006");
            }
            log.warn("Database {} is written by {} (its node): this JVM opens it read-only. Only one process writes a"
                    + " node's file (README, 'One file, one node')", file, holder);
        } else if (lock instanceof NodeLock.Unavailable unavailable) {
            log.warn("Database {}: no lock on {}{} ({}): nothing keeps a second process from writing it", file,
                    file.getFileName(), NodeLock.SUFFIX, unavailable.why());
        }
        return lock;
    }

    /** The application asked for a read-only file: {@code open_mode} without READWRITE, or a URI's {@code mode=ro}. */
    private static boolean opensReadOnly(CorrosionConfig config) {
        String mode = config.sqliteProperties().get("open_mode");
        if (mode != null && (Integer.parseInt(mode) & SQLiteOpenMode.READONLY.flag) != 0) {
            return true;
        }
        return config.sqliteUrl().matches("(?i)jdbc:sqlite:file:.*[?&]mode=ro(&.*)?");
    }

    private synchronized void releaseNodeLock() {
        if (nodeLock != null) {
            nodeLock.close();
            nodeLock = null;
        }
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

    private SQLiteConnection open(CorrosionConfig c, LockWait lockWait) throws SQLException {
        try {
            Properties properties = c.toSqliteProperties();
            if (readOnlyFor(c)) { // also for a URI's mode=ro, which sqlite-jdbc's isReadOnly() does not see
                int flags = properties.containsKey("open_mode") ? Integer.parseInt(properties.getProperty("open_mode"))
                        : new SQLiteConfig().getOpenModeFlags();
                int write = SQLiteOpenMode.READWRITE.flag | SQLiteOpenMode.CREATE.flag;
                properties.setProperty("open_mode", Integer.toString(flags & ~write | SQLiteOpenMode.READONLY.flag));
            }
            SQLiteConnection raw = JDBC.createConnection(c.sqliteUrl(), properties);
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

    /**
     * Closes every connection still open on the file, then stops replication (after it sent what they committed) and
     * the extension. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The application's connections first: a commit acknowledged after the agent's last send would stay here.
        for (ConnectionProxy c : List.copyOf(openConnections)) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("Closing a connection of {} failed during shutdown", describe(), e);
            }
        }
        replication.close();
        try {
            extension.close();
        } catch (RuntimeException e) {
            log.warn("Extension of {} failed to close", describe(), e);
        }
        releaseNodeLock(); // after the journal's final flush
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
