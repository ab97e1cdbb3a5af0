package io.corrosion.jdbc.crr;

import java.sql.SQLException;

/** A table cannot become a CRR: it breaks {@link #rule()}. SQLState 0A000; the message names table, rule and remedy. */
public final class CrrSchemaException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final transient CrrRule rule;

    public CrrSchemaException(String table, CrrRule rule) {
        this(table, rule, null);
    }

    /** With what exactly breaks the rule, e.g. the offending index. */
    public CrrSchemaException(String table, CrrRule rule, String detail) {
        super(detail == null ? rule.message(table) : rule.message(table) + " Found: " + detail + ".",
                CrrErrors.SCHEMA_NOT_SUPPORTED);
        this.table = table;
        this.rule = rule;
    }

    public String table() {
        return table;
    }

    public CrrRule rule() {
        return rule;
    }
}
