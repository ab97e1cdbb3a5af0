package io.corrosion.jdbc;

import java.io.File;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;

/**
 * One connection's configuration, parsed once from the URL and {@link Properties} and never changed.
 *
 * @param url              the URL as given
 * @param path             the database as sqlite-jdbc should open it: a file path, {@code :memory:}, or a
 *                         {@code file:} URI with its SQLite URI parameters (mode, cache, vfs, ...)
 * @param inMemory         true for {@code :memory:} and {@code mode=memory} databases (one per connection)
 * @param node             the settings fixed per database file by its first connection
 * @param sqliteProperties everything handed to sqlite-jdbc: its pragmas and open options, with our defaults
 * @param statementCacheSize the closed write statements a connection keeps for the next prepare of their SQL
 */
public record CorrosionConfig(String url, String path, boolean inMemory, NodeSettings node,
        Map<String, String> sqliteProperties, int statementCacheSize) {

    public static final String URL_PREFIX = "jdbc:corrosion:";

    /** SQLite URI parameters that stay on a {@code file:} path (https://sqlite.org/uri.html). */
    private static final Set<String> SQLITE_URI_PARAMETERS =
            Set.of("vfs", "mode", "cache", "psow", "nolock", "immutable", "modeof");

    /**
     * The settings that belong to the database file, not to one connection: every connection and pool on the file
     * in this JVM shares them.
     */
    public record NodeSettings(
            Optional<HostPort> bind,
            List<HostPort> seeds,
            Optional<String> tlsCa,
            Optional<String> tlsCert,
            Optional<String> tlsKey,
            boolean tlsInsecure,
            boolean mergeEqualValues,
            Set<String> localTables,
            Duration syncInterval,
            Duration handoverTimeout,
            int fanout,
            Optional<Integer> nodeSlot,
            Set<String> int64Keys) {

        public NodeSettings {
            seeds = List.copyOf(seeds);
            localTables = Set.copyOf(localTables);
            int64Keys = Set.copyOf(int64Keys);
        }

        /** True if the node joins a cluster ({@code bind} or {@code seeds}): it runs a replication agent. */
        public boolean replicates() {
            return bind.isPresent() || !seeds.isEmpty();
        }

        /** True if the table matches a name or glob of {@code local-tables} (ignoring case). */
        public boolean isLocalTable(String table) {
            return TablePatterns.anyMatches(localTables, table);
        }

        /** True if the table matches a name or glob of {@code int64-keys} (ignoring case). */
        public boolean hasInt64Keys(String table) {
            return TablePatterns.anyMatches(int64Keys, table);
        }
    }

    public CorrosionConfig {
        sqliteProperties = Collections.unmodifiableMap(new LinkedHashMap<>(sqliteProperties));
    }

    /** True if the URL is one this driver accepts. */
    public static boolean accepts(String url) {
        return url != null && url.startsWith(URL_PREFIX);
    }

    /**
     * Parses and validates a {@code jdbc:corrosion:} URL and its properties (Properties win over the URL).
     *
     * @throws SQLException with SQLState 08001 naming the key and the allowed values, for an unknown key or bad value
     */
    public static CorrosionConfig parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw badProperty("Not a corrosion URL: '" + url + "'. Use " + URL_PREFIX + "<file or :memory:>[?key=value&...]");
        }
        String rest = url.substring(URL_PREFIX.length());
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> given = given(url, info);

        Map<CorrosionProperty, Object> values = new EnumMap<>(CorrosionProperty.class);
        Map<String, String> sqlite = new LinkedHashMap<>();
        List<String> uriParameters = new ArrayList<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Optional<CorrosionProperty> ours = CorrosionProperty.forKey(key);
            if (ours.isPresent()) {
                Object parsed = parseValue(ours.get(), value);
                values.put(ours.get(), parsed);
                if (ours.get().isSqliteKey()) {
                    sqlite.put(key, String.valueOf(parsed));
                }
            } else if (CorrosionProperty.sqlitePragma(key).isPresent()) {
                sqlite.put(key, checkSqliteValue(CorrosionProperty.sqlitePragma(key).get(), value));
            } else if (path.startsWith("file:") && SQLITE_URI_PARAMETERS.contains(key)) {
                uriParameters.add(key + "=" + value);
            } else {
                throw unknownKey(key, path.startsWith("file:"));
            }
        }
        for (CorrosionProperty p : CorrosionProperty.values()) {
            if (!values.containsKey(p) && p.defaultValue().isPresent()) {
                values.put(p, p.parse(p.defaultValue().get()));
                if (p.isSqliteKey()) {
                    sqlite.put(p.key(), p.defaultValue().get());
                }
            }
        }
        String sqlitePath = uriParameters.isEmpty() ? path : path + "?" + String.join("&", uriParameters);
        boolean inMemory = path.isEmpty() || path.equals(":memory:") || path.startsWith("file::memory:")
                || uriParameters.contains("mode=memory");
        return new CorrosionConfig(url, sqlitePath, inMemory, nodeSettings(values), sqlite,
                (Integer) values.get(CorrosionProperty.STATEMENT_CACHE_SIZE));
    }

    /**
     * The settings a URL and its properties give, as written, by key: the URL's query, then the properties, which win.
     *
     * @throws SQLException SQLState 08001 for a badly percent-encoded query
     */
    public static Map<String, String> given(String url, Properties info) throws SQLException {
        int q = url == null ? -1 : url.indexOf('?');
        Map<String, String> given = new LinkedHashMap<>(q < 0 ? Map.of() : parseQuery(url.substring(q + 1)));
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                given.put(key, info.getProperty(key));
            }
            info.forEach((k, v) -> given.putIfAbsent(String.valueOf(k), String.valueOf(v)));
        }
        return given;
    }

    /** The sqlite-jdbc URL to open. */
    public String sqliteUrl() {
        return "jdbc:sqlite:" + path;
    }

    /** A fresh copy of the properties for sqlite-jdbc. */
    public Properties toSqliteProperties() {
        Properties p = new Properties();
        p.putAll(sqliteProperties);
        return p;
    }

    /**
     * The key of the database file among the JVM's open databases: its canonical path. Empty for in-memory
     * databases, which belong to one connection each.
     */
    public Optional<String> databaseKey() throws SQLException {
        if (inMemory) {
            return Optional.empty();
        }
        String file = path;
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
            int q = file.indexOf('?');
            file = q < 0 ? file : file.substring(0, q);
            if (file.startsWith("//")) { // an authority: SQLite takes none or "localhost", as one file
                int slash = file.indexOf('/', 2);
                String authority = slash < 0 ? file.substring(2) : file.substring(2, slash);
                if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                    throw badProperty("The file: URI '" + path + "' names the host '" + authority
                            + "': SQLite opens local files only (file:/path, file:///path or file://localhost/path)");
                }
                file = slash < 0 ? "/" : file.substring(slash);
            }
            file = decode(file);
        }
        try {
            return Optional.of(new File(file).getCanonicalPath());
        } catch (IOException e) {
            throw new SQLException("Cannot resolve database path '" + file + "': " + e.getMessage(),
                    SqlErrors.BAD_CONNECTION_PROPERTY, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static NodeSettings nodeSettings(Map<CorrosionProperty, Object> v) {
        return new NodeSettings(
                Optional.ofNullable((HostPort) v.get(CorrosionProperty.BIND)),
                (List<HostPort>) v.get(CorrosionProperty.SEEDS),
                Optional.ofNullable((String) v.get(CorrosionProperty.TLS_CA)),
                Optional.ofNullable((String) v.get(CorrosionProperty.TLS_CERT)),
                Optional.ofNullable((String) v.get(CorrosionProperty.TLS_KEY)),
                (Boolean) v.get(CorrosionProperty.TLS_INSECURE),
                (Boolean) v.get(CorrosionProperty.MERGE_EQUAL_VALUES),
                (Set<String>) v.get(CorrosionProperty.LOCAL_TABLES),
                (Duration) v.get(CorrosionProperty.SYNC_INTERVAL),
                (Duration) v.get(CorrosionProperty.HANDOVER_TIMEOUT),
                (Integer) v.get(CorrosionProperty.FANOUT),
                Optional.ofNullable((Integer) v.get(CorrosionProperty.NODE_SLOT)),
                (Set<String>) v.get(CorrosionProperty.INT64_KEYS));
    }

    private static Object parseValue(CorrosionProperty p, String value) throws SQLException {
        try {
            return p.parse(value);
        } catch (IllegalArgumentException e) {
            throw badProperty(e.getMessage(), e);
        }
    }

    /** SQLite's spellings of a boolean pragma value, as {@code jdbc:sqlite:} URLs carry them. */
    private static final Map<String, String> SQLITE_BOOLEANS = Map.of("true", "true", "on", "true", "yes", "true",
            "1", "true", "false", "false", "off", "false", "no", "false", "0", "false");
    /** sqlite-jdbc's pragmas that take a whole number (it drops or ignores anything else without a word). */
    private static final Set<String> INTEGER_PRAGMAS = Set.of("open_mode", "cache_size", "mmap_size",
            "default_cache_size", "incremental_vacuum", "journal_size_limit", "page_size", "max_page_count",
            "user_version", "application_id", "wal_autocheckpoint");
    /** Enumerated pragmas whose sqlite-jdbc choices are in the order of SQLite's numeric codes (0, 1, 2, ...). */
    private static final Set<String> NUMBERED_PRAGMAS = Set.of("temp_store");

    /**
     * sqlite-jdbc's enumerated pragmas are checked here so the error names the key; others are its business. SQLite's
     * other spellings that a {@code jdbc:sqlite:} URL may carry ({@code foreign_keys=on}, {@code temp_store=2}) are
     * taken and passed on as sqlite-jdbc's own.
     */
    private static String checkSqliteValue(SQLiteConfig.Pragma pragma, String value) throws SQLException {
        if (pragma.choices == null || pragma.choices.length == 0) {
            boolean integer = INTEGER_PRAGMAS.contains(pragma.pragmaName) || pragma.pragmaName.startsWith("limit_");
            if (integer && !value.trim().matches("[-+]?[0-9]{1,18}")) {
                throw badProperty("Bad value '" + value + "' for sqlite-jdbc property '" + pragma.pragmaName
                        + "': expected a whole number");
            }
            return value;
        }
        String given = value.trim().toLowerCase(Locale.ROOT);
        List<String> choices = Arrays.stream(pragma.choices).map(c -> c.replace("'", "")).distinct().toList();
        if (choices.size() == 2 && choices.containsAll(List.of("true", "false"))) {
            String canonical = SQLITE_BOOLEANS.get(given);
            if (canonical != null && pragma.pragmaName.equals("recursive_triggers") && canonical.equals("true")) {
                throw badProperty("recursive_triggers=" + value + " is refused: with it, INSERT OR REPLACE fires"
                        + " the delete capture of replicated tables, which cr-sqlite does not, and this node's changes"
                        + " would no longer merge like the other nodes'. Leave recursive_triggers off.");
            }
            if (canonical != null) {
                return canonical;
            }
        } else {
            for (String choice : choices) {
                if (choice.equalsIgnoreCase(given)) {
                    return value.trim();
                }
            }
            if (NUMBERED_PRAGMAS.contains(pragma.pragmaName) && given.matches("[0-9]")
                    && Integer.parseInt(given) < choices.size()) {
                return choices.get(Integer.parseInt(given));
            }
        }
        throw badProperty("Bad value '" + value + "' for sqlite-jdbc property '" + pragma.pragmaName
                + "': expected one of " + String.join(", ", choices));
    }

    private static Map<String, String> parseQuery(String query) throws SQLException {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            map.put(key, value);
        }
        return map;
    }

    /** Percent-decoding as SQLite and sqlite-jdbc do it: a {@code +} stays a {@code +} (not a form's space). */
    private static String decode(String s) throws SQLException {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badProperty("Badly encoded URL parameter '" + s + "': " + e.getMessage(), e);
        }
    }

    private static SQLException unknownKey(String key, boolean fileUri) {
        String ours = Arrays.stream(CorrosionProperty.values()).map(CorrosionProperty::key)
                .collect(Collectors.joining(", "));
        String sqlite = Arrays.stream(SQLiteConfig.Pragma.values()).map(p -> p.pragmaName)
                .filter(k -> CorrosionProperty.forKey(k).isEmpty()).collect(Collectors.joining(", "));
        return badProperty("Unknown connection property '" + key + "'. Allowed: " + ours
                + "; and sqlite-jdbc's: " + sqlite
                + (fileUri ? "; and on file: URIs SQLite's " + String.join(", ", SQLITE_URI_PARAMETERS) : "")
                + ". See the README, 'Connection properties'.");
    }

    private static SQLException badProperty(String message) {
        return new SQLException(message, SqlErrors.BAD_CONNECTION_PROPERTY);
    }

    private static SQLException badProperty(String message, Throwable cause) {
        return new SQLException(message, SqlErrors.BAD_CONNECTION_PROPERTY, cause);
    }
}
