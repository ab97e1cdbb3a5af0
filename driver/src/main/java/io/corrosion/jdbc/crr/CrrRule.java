package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Restrictions on what may become a CRR. Five are cr-sqlite's ({@code tableinfo.rs::is_table_compatible}),
 * checked in cr-sqlite's order; {@link #ALL} is what {@code crsql_as_crr} enforces. The driver enforces
 * {@link #DRIVER} instead: it makes the others harmless — merges fill NOT NULL columns that have no default, the key
 * allocator makes auto-increment keys node-private, foreign keys are not enforced by the driver's merges, and UNIQUE
 * constraints are enforced for local writes only (see the README, "Schemas").
 */
public enum CrrRule {
    /**
     * The driver's, checked first: a virtual table's module keeps its rows, and its shadow tables are that module's
     * storage in the module's own format: no merge may write either.
     */
    ORDINARY_TABLE(
            "SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND name = ?1 AND type IN ('virtual', 'shadow')",
            "is a virtual table (FTS5, R*Tree, ...) or the storage of one",
            "keep the rows in an ordinary table, which replicates, and let a trigger without a sync-bit guard keep the"
                    + " virtual table in step on each node"),
    NO_UNIQUE_INDEX(
            "SELECT count(*) FROM pragma_index_list(?) WHERE origin != 'pk' AND \"unique\" = 1",
            "has unique indices besides the primary key",
            "two nodes can insert rows that collide on the unique index and the merge cannot resolve it; drop the"
                    + " UNIQUE constraint or make those columns the primary key"),
    PRIMARY_KEY_NOT_NULL(
            "SELECT (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0 AND \"notnull\" > 0) = 0"
                    + " OR (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0)"
                    + " != (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0 AND \"notnull\" > 0)",
            "has no primary key or primary key is nullable",
            "CRRs must have a non nullable primary key; declare a PRIMARY KEY whose columns are all NOT NULL"),
    NO_AUTOINCREMENT(
            "SELECT count(*) FROM sqlite_master WHERE name = ? AND type = 'table' AND sql LIKE '%autoincrement%'",
            "has auto-increment primary keys",
            "two concurrent nodes would assign unrelated rows the same primary key; use a key that identifies the"
                    + " row or a UUID such as UUIDv7"),
    NO_FOREIGN_KEYS(
            "SELECT count(*) FROM pragma_foreign_key_list(?)",
            "has checked foreign key constraints",
            "replication can violate checked foreign keys; remove the REFERENCES clauses"),
    NOT_NULL_HAS_DEFAULT(
            "SELECT count(*) FROM pragma_table_xinfo(?) WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0",
            "has a NOT NULL column without a DEFAULT VALUE",
            "it prevents forwards and backwards compatibility between schema versions; make the column nullable"
                    + " or give it a DEFAULT"),
    /**
     * The driver's form of {@link #PRIMARY_KEY_NOT_NULL}: a primary key is required, and its columns must be NOT NULL
     * unless the key is the rowid (an {@code INTEGER PRIMARY KEY}, which SQLite never leaves NULL).
     */
    PRIMARY_KEY_NOT_NULL_OR_ROWID(
            "SELECT (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 0"
                    + " OR ((SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0 AND \"notnull\" = 0) > 0"
                    + " AND NOT ((SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1"
                    + " AND (SELECT count(*) FROM pragma_index_list(?1) WHERE origin = 'pk') = 0))",
            "has no primary key, or a nullable one",
            "a replicated row is identified by its primary key on every node; declare a PRIMARY KEY whose columns are"
                    + " NOT NULL, or list the table in the local-tables property to keep it on this node");

    /** cr-sqlite's rules: what {@code crsql_as_crr} enforces. */
    public static final Set<CrrRule> ALL = java.util.Collections.unmodifiableSet(
            EnumSet.of(ORDINARY_TABLE, NO_UNIQUE_INDEX, PRIMARY_KEY_NOT_NULL, NO_AUTOINCREMENT, NO_FOREIGN_KEYS,
                    NOT_NULL_HAS_DEFAULT));

    /** What the driver enforces when it makes a table a CRR (after turning UNIQUE constraints into checks). */
    public static final Set<CrrRule> DRIVER = java.util.Collections.unmodifiableSet(
            EnumSet.of(ORDINARY_TABLE, PRIMARY_KEY_NOT_NULL_OR_ROWID, NO_UNIQUE_INDEX));

    private final String violationQuery;
    private final String violation;
    private final String remedy;

    CrrRule(String violationQuery, String violation, String remedy) {
        this.violationQuery = violationQuery;
        this.violation = violation;
        this.remedy = remedy;
    }

    boolean violatedBy(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(violationQuery)) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getLong(1) != 0;
            }
        }
    }

    String message(String table) {
        return "Table " + table + " cannot be a CRR: it " + violation + " (rule " + name() + "): " + remedy + ".";
    }

    /** What breaks the rule, for messages: "has ..." */
    public String violation() {
        return violation;
    }

    /** What to do about it. */
    public String remedy() {
        return remedy;
    }

    /** Throws for the first rule in {@code rules} that {@code table} breaks. */
    static void check(Connection c, String table, Set<CrrRule> rules) throws SQLException {
        for (CrrRule rule : values()) {
            if (rules.contains(rule) && rule.violatedBy(c, table)) {
                throw new CrrSchemaException(table, rule);
            }
        }
    }
}
