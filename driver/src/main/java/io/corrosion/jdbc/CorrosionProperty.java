package io.corrosion.jdbc;

import java.sql.DriverPropertyInfo;
import java.util.Locale;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * Every connection property of {@code jdbc:corrosion:}, with its default, allowed values and meaning. Values come
 * from the URL query ({@code ?key=value&...}) and from {@link java.util.Properties} (which win), and are parsed once
 * into {@link CorrosionConfig}. Keys sqlite-jdbc understands that are not listed here pass through to it unchanged.
 *
 * <p>The README's property table is generated from this enum ({@link #markdownTable()}) and a test keeps them equal.
 */
public enum CorrosionProperty {
    BIND("bind", null, Scope.NODE, PropertySyntax.HOST_PORT,
            "Address this node listens on for gossip (QUIC over UDP); port 0 picks a free one. With it (or `seeds`) the "
                    + "file's first connection starts the replication agent. Without both, the database is a local node. "
                    + "A non-loopback address needs `tls.*`."),
    SEEDS("seeds", "", Scope.NODE, PropertySyntax.HOST_PORT_LIST,
            "Cluster members to join through (any live one will do; seeds that are down are retried). Without `bind` "
                    + "only loopback seeds are allowed, and the node listens on a free loopback port."),
    TLS_CA("tls.ca", null, Scope.NODE, PropertySyntax.FILE,
            "PEM file of the cluster CA that signs every node certificate (mutual TLS: peers whose certificate it did not "
                    + "sign are refused)."),
    TLS_CERT("tls.cert", null, Scope.NODE, PropertySyntax.FILE,
            "PEM certificate of this node, signed by `tls.ca`; it must name the address peers dial (IP or DNS SAN)."),
    TLS_KEY("tls.key", null, Scope.NODE, PropertySyntax.FILE,
            "PEM private key of `tls.cert`."),
    TLS_INSECURE("tls.insecure", "false", Scope.NODE, PropertySyntax.BOOLEAN,
            "Gossip with a self-signed certificate and no peer verification; only accepted with a loopback `bind`, for "
                    + "development."),
    MERGE_EQUAL_VALUES("merge-equal-values", "false", Scope.NODE, PropertySyntax.BOOLEAN,
            "When two versions of a column tie on causal length, col version and value, let the larger site id win "
                    + "(cr-sqlite's option of the same name)."),
    LOCAL_TABLES("local-tables", "", Scope.NODE, PropertySyntax.TABLE_PATTERN_LIST,
            "Tables that stay on this node and are never replicated, besides those the driver keeps local anyway "
                    + "(Hibernate's `HTE_*`, `*_SEQ` and `hibernate_sequences`, Flyway's and Liquibase's migration "
                    + "histories, `sqlite_*`, virtual tables, TEMP tables; see 'Local tables'). No node-private keys "
                    + "are allocated in them."),
    NODE_SLOT("node-slot", null, Scope.NODE, PropertySyntax.intRange(0, 1023),
            "This node's slot for generated keys (id = counter x 1024 + slot + 1). Give every node of a cluster its own "
                    + "slot to guarantee that generated keys never collide; unset, the node claims a free slot itself "
                    + "(see 'Generated keys')."),
    INT64_KEYS("int64-keys", "", Scope.NODE, PropertySyntax.TABLE_PATTERN_LIST,
            "Tables whose keys declared `INT` (also `INT4`, `MEDIUMINT`, ...) the application reads as 64-bit (Java "
                    + "`long`): generated keys go on past 2147483647 instead of failing with SQLState 22003. Keys "
                    + "declared `INTEGER`, `BIGINT`, `INT8` or untyped are 64-bit anyway."),
    SYNC_INTERVAL("sync-interval", "5s", Scope.NODE, PropertySyntax.DURATION,
            "How often the node runs anti-entropy sync with a random peer (catch-up after downtime or lost broadcasts; "
                    + "a new or restarted node syncs at once)."),
    HANDOVER_TIMEOUT("handover-timeout", "5s", Scope.NODE, PropertySyntax.DURATION_OR_ZERO,
            "How long a clean shutdown waits, before the node leaves the cluster, for a live peer to hold every change "
                    + "this node wrote (sending it what it lacks meanwhile; see 'What happens'). 0s leaves at once: "
                    + "changes no peer has received yet reach the cluster only when this node comes back."),
    FANOUT("fanout", "8", Scope.NODE, PropertySyntax.intRange(1, 64),
            "Peers each changeset is broadcast to per hop."),
    JOURNAL_MODE("journal_mode", "WAL", Scope.CONNECTION, PropertySyntax.oneOf(SQLiteConfig.Pragma.JOURNAL_MODE.choices),
            "SQLite journal mode (sqlite-jdbc key). WAL lets readers run beside the writer; in-memory databases ignore it."),
    BUSY_TIMEOUT("busy_timeout", "5000", Scope.CONNECTION, PropertySyntax.intRange(0, Integer.MAX_VALUE),
            "Milliseconds a statement waits for another connection's write lock before failing with SQLState 40001 "
                    + "(sqlite-jdbc key)."),
    SYNCHRONOUS("synchronous", "NORMAL", Scope.CONNECTION, PropertySyntax.oneOf(SQLiteConfig.Pragma.SYNCHRONOUS.choices),
            "SQLite sync mode (sqlite-jdbc key). NORMAL is durable across application crashes and safe in WAL mode; "
                    + "FULL also survives power loss on the last transactions. In WAL mode a replicating node "
                    + "flushes the WAL before a local commit leaves it, whichever the setting; OFF gives no guarantee."),
    STATEMENT_CACHE_SIZE("statement-cache-size", "32", Scope.CONNECTION, PropertySyntax.intRange(0, 1024),
            "Closed INSERT, UPDATE and DELETE statements (without RETURNING) each connection keeps, by SQL, for the next "
                    + "prepare of the same SQL: SQLite then compiles them and their change-capture triggers once, not at "
                    + "every prepare (Hibernate over a pool prepares and closes a statement per write). 0 keeps none."),
    USER("user", null, Scope.CONNECTION, PropertySyntax.ANY,
            "Accepted and ignored: SQLite has no users. Listed so pools that always send a user name work.");

    /** Where a property applies: the whole database file (fixed by its first connection) or one connection. */
    public enum Scope {
        /** One value per database file per JVM; a second connection asking for another value is refused. */
        NODE,
        /** Applies to the connection that asks for it. */
        CONNECTION
    }

    private final String key;
    private final String defaultValue;
    private final Scope scope;
    private final PropertySyntax syntax;
    private final String description;

    CorrosionProperty(String key, String defaultValue, Scope scope, PropertySyntax syntax, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.scope = scope;
        this.syntax = syntax;
        this.description = description;
    }

    /** The name used in URLs and Properties. */
    public String key() {
        return key;
    }

    /** The default as text; empty if there is none. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public Scope scope() {
        return scope;
    }

    public String description() {
        return description;
    }

    /** The allowed values, in words. */
    public String allowedValues() {
        return syntax.describe();
    }

    /** True if sqlite-jdbc reads this key too; the driver passes its value on. */
    public boolean isSqliteKey() {
        return sqlitePragma(key).isPresent();
    }

    /** The property of this key, if it is one of ours. */
    public static Optional<CorrosionProperty> forKey(String key) {
        for (CorrosionProperty p : values()) {
            if (p.key.equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The sqlite-jdbc pragma or open option of this key, if sqlite-jdbc knows it. */
    static Optional<SQLiteConfig.Pragma> sqlitePragma(String key) {
        for (SQLiteConfig.Pragma p : SQLiteConfig.Pragma.values()) {
            if (p.pragmaName.equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The value parsed, or {@link IllegalArgumentException} naming what is allowed. */
    Object parse(String text) {
        try {
            return syntax.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Bad value '" + text + "' for property '" + key + "': expected "
                    + syntax.describe(), e);
        }
    }

    DriverPropertyInfo toPropertyInfo(String givenValue) {
        DriverPropertyInfo info = new DriverPropertyInfo(key, givenValue != null ? givenValue : defaultValue);
        info.description = description;
        info.required = false;
        info.choices = syntax.choices().isEmpty() ? null : syntax.choices().toArray(String[]::new);
        return info;
    }

    /** The README table: one row per property. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | scope | allowed values | description |\n");
        sb.append("|---|---|---|---|---|\n");
        for (CorrosionProperty p : values()) {
            sb.append("| `").append(p.key).append("` | ")
                    .append(p.defaultValue == null || p.defaultValue.isEmpty() ? "" : "`" + p.defaultValue + "`")
                    .append(" | ").append(p.scope.name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(p.syntax.describe())
                    .append(" | ").append(p.description).append(" |\n");
        }
        return sb.toString();
    }
}
