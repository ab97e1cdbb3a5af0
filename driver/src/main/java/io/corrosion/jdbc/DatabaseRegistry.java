package io.corrosion.jdbc;

import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.node.NodeExtension;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open database files of this JVM, by canonical path. */
final class DatabaseRegistry {
    private static final Logger log = LoggerFactory.getLogger(DatabaseRegistry.class);
    private static final DatabaseRegistry GLOBAL = new DatabaseRegistry(NodeExtension.FACTORY);

    private final Map<String, CorrosionDatabase> open = new ConcurrentHashMap<>();
    private final DatabaseExtension.Factory extensions;
    /** The JVM-exit hook while databases are open (installed with the first, removed after the last). */
    private Thread shutdownHook;

    DatabaseRegistry(DatabaseExtension.Factory extensions) {
        this.extensions = extensions;
    }

    static DatabaseRegistry global() {
        return GLOBAL;
    }

    /** A new application connection; opens the file's {@link CorrosionDatabase} if this is its first. */
    CorrosionConnection connect(CorrosionConfig config) throws SQLException {
        Optional<String> key = config.databaseKey();
        if (key.isEmpty()) {
            CorrosionDatabase memory = new CorrosionDatabase(key, config, Interceptor.shared(), extensions);
            try {
                return memory.connect(config);
            } catch (SQLException | RuntimeException e) {
                memory.close();
                throw e;
            }
        }
        while (true) {
            CorrosionDatabase db = database(key.get(), config);
            if (!db.node().equals(config.node())) {
                throw new SQLException("Database " + key.get() + " is already open in this JVM with other node settings ("
                        + db.node() + "); every connection to a file must use the same bind, seeds, tls.*, "
                        + "merge-equal-values, local-tables, sync-interval, fanout, node-slot and int64-keys. Shut it down first "
                        + "(CorrosionDriver.shutdown) to change them.", SqlErrors.BAD_CONNECTION_PROPERTY);
            }
            try {
                return db.connect(config);
            } catch (SQLException e) {
                if (!db.isClosed()) {
                    throw e;
                }
                open.remove(key.get(), db); // shut down between lookup and connect: open it again
            }
        }
    }

    private CorrosionDatabase database(String key, CorrosionConfig config) throws SQLException {
        CorrosionDatabase db = open.get(key);
        if (db != null) {
            return db;
        }
        synchronized (this) {
            db = open.get(key);
            if (db == null) {
                installShutdownHook();
                db = new CorrosionDatabase(Optional.of(key), config, Interceptor.shared(), extensions);
                open.put(key, db);
            }
            return db;
        }
    }

    /** Shuts down the database of this canonical path; false if none was open. */
    boolean shutdown(String key) {
        CorrosionDatabase db = open.remove(key);
        if (db == null) {
            return false;
        }
        db.close();
        removeShutdownHook();
        return true;
    }

    void shutdownAll() {
        for (String key : List.copyOf(open.keySet())) {
            shutdown(key);
        }
    }

    Optional<CorrosionDatabase> find(String key) {
        return Optional.ofNullable(open.get(key));
    }

    private synchronized void installShutdownHook() {
        if (shutdownHook == null) {
            Thread hook = new Thread(() -> {
                log.debug("JVM exit: shutting down {} open databases", open.size());
                shutdownAll();
            }, "corrosion-shutdown");
            hook.setContextClassLoader(null); // it must not keep an application's class loader alive
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }
    }

    /**
     * Once the last open database is shut down the hook goes too, so that an application that shut the driver down (a
     * redeploy) leaves nothing of it registered with the JVM; the next database opened installs it again.
     */
    private synchronized void removeShutdownHook() {
        if (shutdownHook != null && open.isEmpty()) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException exiting) {
                return; // the JVM is exiting: the hook runs, or already does
            }
            shutdownHook = null;
        }
    }
}
