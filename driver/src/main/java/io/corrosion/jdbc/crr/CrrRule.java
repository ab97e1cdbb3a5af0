package io.corrosion.jdbc.crr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;

/**
 * cr-sqlite's restrictions on what may become a CRR ({@code tableinfo.rs::is_table_compatible}), checked in
 * cr-sqlite's order. Each rule can be switched off individually: the driver relaxes some of them for schemas it
 * rewrites (phase B), e.g. NOT NULL columns it gives a default.
 */
public enum CrrRule {
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
                    + " or give it a DEFAULT");

    /** Every rule: what crsql_as_crr enforces. */
    public static final Set<CrrRule> ALL = java.util.Collections.unmodifiableSet(EnumSet.allOf(CrrRule.class));

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

    /** Throws for the first rule in {@code rules} that {@code table} breaks. */
    static void check(Connection c, String table, Set<CrrRule> rules) throws SQLException {
        for (CrrRule rule : values()) {
            if (rules.contains(rule) && rule.violatedBy(c, table)) {
                throw new SQLException(rule.message(table), CrrErrors.SCHEMA_NOT_SUPPORTED);
            }
        }
    }
}
