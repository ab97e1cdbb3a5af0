package io.corrosion.jdbc.intercept;

import java.util.List;

/**
 * The plan of one SQL string as an application passed it: one {@link StatementPlan} per statement (several for
 * {@code executeUpdate("a; b")}). Cached by SQL text.
 *
 * @param sql        the string as passed
 * @param statements its statements in order; empty for a blank string or one made only of comments
 * @param plainRead  every statement is a read that names nothing internal: the proxy skips the hook entirely
 */
public record SqlPlan(String sql, List<StatementPlan> statements, boolean plainRead) {

    public SqlPlan {
        statements = List.copyOf(statements);
    }

    static SqlPlan of(String sql, List<StatementPlan> statements) {
        boolean plainRead = !statements.isEmpty() && statements.stream().allMatch(StatementPlan::isPlainRead);
        return new SqlPlan(sql, statements, plainRead);
    }

    /** True if a statement of the string has a {@code *} result column or a NATURAL join ({@link StarExpansion}). */
    public boolean starOrNatural() {
        for (StatementPlan s : statements) {
            if (s.starOrNatural()) {
                return true;
            }
        }
        return false;
    }

    /** True if the string holds more than one statement. */
    public boolean isMultiStatement() {
        return statements.size() > 1;
    }

    /** The first statement's plan; a string of one statement is the common case. */
    public StatementPlan first() {
        if (statements.isEmpty()) {
            throw new IllegalStateException("no statement in: " + sql);
        }
        return statements.get(0);
    }
}
