package io.corrosion.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for {@code jdbc:corrosion:}: the URL plus one setter per {@link CorrosionProperty}
 * ({@link #setProperty} takes any key, including sqlite-jdbc's). Values are validated when a connection is opened.
 * {@link #close()} shuts down the database file: its services stop and its open connections close.
 */
public class CorrosionDataSource implements DataSource, AutoCloseable {
    private final CorrosionDriver driver = new CorrosionDriver();
    private final Properties properties = new Properties();
    private volatile String url;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;

    public CorrosionDataSource() {}

    public CorrosionDataSource(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** Sets any property by key; null removes it. Wins over the same key in the URL. */
    public void setProperty(String key, String value) {
        synchronized (properties) {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.setProperty(key, value);
            }
        }
    }

    public String getProperty(String key) {
        synchronized (properties) {
            return properties.getProperty(key);
        }
    }

    private void set(CorrosionProperty p, Object value) {
        setProperty(p.key(), value == null ? null : String.valueOf(value));
    }

    public void setBind(String hostPort) {
        set(CorrosionProperty.BIND, hostPort);
    }

    public void setSeeds(String hostPorts) {
        set(CorrosionProperty.SEEDS, hostPorts);
    }

    public void setTlsCa(String pemFile) {
        set(CorrosionProperty.TLS_CA, pemFile);
    }

    public void setTlsCert(String pemFile) {
        set(CorrosionProperty.TLS_CERT, pemFile);
    }

    public void setTlsKey(String pemFile) {
        set(CorrosionProperty.TLS_KEY, pemFile);
    }

    public void setTlsInsecure(boolean insecure) {
        set(CorrosionProperty.TLS_INSECURE, insecure);
    }

    public void setMergeEqualValues(boolean merge) {
        set(CorrosionProperty.MERGE_EQUAL_VALUES, merge);
    }

    public void setLocalTables(String tables) {
        set(CorrosionProperty.LOCAL_TABLES, tables);
    }

    public void setNodeSlot(int slot) {
        set(CorrosionProperty.NODE_SLOT, slot);
    }

    public void setInt64Keys(String tables) {
        set(CorrosionProperty.INT64_KEYS, tables);
    }

    public void setSyncInterval(String duration) {
        set(CorrosionProperty.SYNC_INTERVAL, duration);
    }

    public void setHandoverTimeout(String duration) {
        set(CorrosionProperty.HANDOVER_TIMEOUT, duration);
    }

    public void setFanout(int peers) {
        set(CorrosionProperty.FANOUT, peers);
    }

    public void setJournalMode(String mode) {
        set(CorrosionProperty.JOURNAL_MODE, mode);
    }

    public void setBusyTimeout(int millis) {
        set(CorrosionProperty.BUSY_TIMEOUT, millis);
    }

    public void setSynchronous(String mode) {
        set(CorrosionProperty.SYNCHRONOUS, mode);
    }

    public void setStatementCacheSize(int statements) {
        set(CorrosionProperty.STATEMENT_CACHE_SIZE, statements);
    }

    public void setUser(String user) {
        set(CorrosionProperty.USER, user);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(null);
    }

    /** SQLite has no users: {@code username} is ignored; a password goes to sqlite-jdbc (for encrypted builds). */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(password);
    }

    private Connection connect(String password) throws SQLException {
        String u = url;
        if (u == null) {
            throw new SQLException("CorrosionDataSource has no URL; call setUrl(\"jdbc:corrosion:...\")",
                    SqlErrors.BAD_CONNECTION_PROPERTY);
        }
        Properties copy = new Properties();
        synchronized (properties) {
            copy.putAll(properties);
        }
        if (password != null) {
            copy.setProperty("password", password);
        }
        Connection c = driver.connect(u, copy);
        if (c == null) {
            throw new SQLException("Not a corrosion URL: '" + u + "'", SqlErrors.BAD_CONNECTION_PROPERTY);
        }
        return c;
    }

    /** Shuts down the URL's database file (shared with other pools on the same file in this JVM). */
    @Override
    public void close() throws SQLException {
        String u = url;
        if (u != null && !CorrosionConfig.parse(stripQuery(u), null).inMemory()) {
            CorrosionDriver.shutdown(u);
        }
    }

    private static String stripQuery(String u) {
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("The driver logs through slf4j", SqlErrors.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper for " + iface.getName(), SqlErrors.GENERAL_ERROR);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
