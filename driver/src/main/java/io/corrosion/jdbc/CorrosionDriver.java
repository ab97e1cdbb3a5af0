package io.corrosion.jdbc;

import io.corrosion.jdbc.replication.NodeCopies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;

/**
 * The {@code jdbc:corrosion:} driver. Registered through {@code META-INF/services/java.sql.Driver}, so
 * {@code DriverManager.getConnection("jdbc:corrosion:/path/app.db")} works without {@code Class.forName}.
 *
 * <p>URL: {@code jdbc:corrosion:<file, :memory: or file: URI>[?key=value&...]}; the keys are
 * {@link CorrosionProperty} and sqlite-jdbc's own. The first connection to a file opens its
 * {@link CorrosionDatabase}; {@link #shutdown(String)} closes it.
 */
public final class CorrosionDriver implements Driver {

    static {
        try {
            DriverManager.registerDriver(new CorrosionDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DatabaseRegistry registry;

    public CorrosionDriver() {
        this(DatabaseRegistry.global());
    }

    CorrosionDriver(DatabaseRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours, let DriverManager ask the next driver
        }
        return registry.connect(CorrosionConfig.parse(url, info));
    }

    @Override
    public boolean acceptsURL(String url) {
        return CorrosionConfig.accepts(url);
    }

    /** Every property: the driver's own ({@link CorrosionProperty}), then sqlite-jdbc's that pass through. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Map<String, String> given = CorrosionConfig.given(url, info); // the URL's values too, as connect reads them
        List<DriverPropertyInfo> all = new ArrayList<>();
        for (CorrosionProperty p : CorrosionProperty.values()) {
            all.add(p.toPropertyInfo(given.get(p.key())));
        }
        for (SQLiteConfig.Pragma pragma : SQLiteConfig.Pragma.values()) {
            if (CorrosionProperty.forKey(pragma.pragmaName).isEmpty()) {
                DriverPropertyInfo d = new DriverPropertyInfo(pragma.pragmaName, given.get(pragma.pragmaName));
                d.description = "Passed to sqlite-jdbc: " + pragma.description;
                d.choices = pragma.choices;
                all.add(d);
            }
        }
        return all.toArray(DriverPropertyInfo[]::new);
    }

    @Override
    public int getMajorVersion() {
        return DriverVersion.MAJOR;
    }

    @Override
    public int getMinorVersion() {
        return DriverVersion.MINOR;
    }

    /** Not JDBC compliant: SQLite lacks stored procedures and much of SQL-92 the test suite requires. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("The driver logs through slf4j", SqlErrors.FEATURE_NOT_SUPPORTED);
    }

    /**
     * Shuts down the database file of a {@code jdbc:corrosion:} URL or a file path: stops its services (later: the
     * replication agent) and closes its connections still open. The next connection opens it afresh.
     *
     * @return false if the file was not open
     */
    public static boolean shutdown(String urlOrPath) throws SQLException {
        return DatabaseRegistry.global().shutdown(databaseKey(urlOrPath));
    }

    /** Shuts down every database file open in this JVM. */
    public static void shutdownAll() {
        DatabaseRegistry.global().shutdownAll();
    }

    /**
     * Takes the node identity out of a copy of a node's database file, put in place of a lost node's file or of a new
     * node's (a backup, a file copied while its node was stopped), as {@code corrosion restore --in-place} does: a
     * node started from it runs as a new site, holding the changes of the node it was copied from as a remote site's,
     * instead of reusing that node's site id and versions (README, "One file, one node"). The file must not be open,
     * in this JVM or any other, and must be in WAL mode (in the others SQLite cannot tell whether a node has it open:
     * SQLState 55000).
     *
     * @return false if the file had no node identity (not a corrosion database, or taken out already)
     */
    public static boolean forgetNodeIdentity(String urlOrPath) throws SQLException {
        String key = databaseKey(urlOrPath);
        if (DatabaseRegistry.global().find(key).isPresent()) {
            throw new SQLException("Database " + key + " is open in this JVM: only a copy of a node's file (a backup)"
                    + " should lose its node identity; shut it down first if it is one", "55006");
        }
        return NodeCopies.forgetIdentity(Path.of(key)).isPresent();
    }

    static String databaseKey(String urlOrPath) throws SQLException {
        String url = CorrosionConfig.accepts(urlOrPath) ? urlOrPath : CorrosionConfig.URL_PREFIX + urlOrPath;
        int q = url.indexOf('?');
        String bare = q < 0 ? url : url.substring(0, q);
        return CorrosionConfig.parse(bare, null).databaseKey()
                .orElseThrow(() -> new SQLException("An in-memory database ends with its connection; there is "
                        + "nothing to shut down", SqlErrors.BAD_CONNECTION_PROPERTY));
    }
}
