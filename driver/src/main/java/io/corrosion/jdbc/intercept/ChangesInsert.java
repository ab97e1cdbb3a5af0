package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the prepared {@code INSERT INTO crsql_changes (<columns>) VALUES (?, ..., ?)} that sync tools run once per
 * change, so the driver can merge a JDBC batch of them at once instead of row by row through the view's trigger; and
 * any INSERT into it, a merge, which runs without foreign keys and CHECK constraints as the agent's merges do.
 */
public final class ChangesInsert {
    private static final String TABLE = "crsql_changes";
    private static final Set<String> COLUMNS =
            Set.of("table", "pk", "cid", "val", "col_version", "db_version", "site_id", "cl", "seq", "ts");
    private static final Set<String> REQUIRED = Set.of("table", "pk", "cid", "col_version", "db_version", "cl", "seq");

    private ChangesInsert() {}

    /** Whether the statement inserts into {@code crsql_changes} (any form): a merge. */
    public static boolean insertsChanges(StatementPlan plan) {
        return plan.kind() == StatementKind.INSERT && plan.table().map(TABLE::equalsIgnoreCase).orElse(false)
                && plan.targetsMainSchema();
    }

    /**
     * The column of each parameter, lower-cased, if the statement is one such INSERT: a plain INSERT into
     * {@code crsql_changes} naming known columns (each once, the required ones all), one VALUES row of only {@code ?}s.
     */
    public static Optional<List<String>> parameterColumns(StatementPlan plan) {
        if (plan.kind() != StatementKind.INSERT || !plan.table().map(TABLE::equalsIgnoreCase).orElse(false)
                || !plan.targetsMainSchema() || plan.insertColumns().isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        for (String c : plan.insertColumns()) {
            String name = c.toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name) || columns.contains(name)) {
                return Optional.empty();
            }
            columns.add(name);
        }
        if (!columns.containsAll(REQUIRED) || !onlyParameters(plan.sql(), columns.size())) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(columns));
    }

    /**
     * The schema of the first schema-qualified {@code crsql_changes} that {@code sql} names, other than {@code temp}
     * (where each connection's view is): SQLite finds no such relation, as a TEMP view is not reached through the name
     * of another schema.
     */
    public static Optional<String> otherSchemaNamed(String sql) {
        List<SqlToken> tokens = new TokenReader(sql).tokens;
        for (int i = 2; i < tokens.size(); i++) {
            SqlToken name = tokens.get(i);
            SqlToken schema = tokens.get(i - 2);
            if (isIdentifier(name) && name.name(sql).equalsIgnoreCase(TABLE) && tokens.get(i - 1).isSymbol('.')
                    && isIdentifier(schema) && !schema.name(sql).equalsIgnoreCase("temp")) {
                return Optional.of(schema.name(sql));
            }
        }
        return Optional.empty();
    }

    private static boolean isIdentifier(SqlToken t) {
        return t.type() == SqlToken.Type.WORD || t.type() == SqlToken.Type.QUOTED_IDENTIFIER;
    }

    /** {@code ... VALUES (?, ?, ..., ?)} with {@code n} parameters and nothing after but a semicolon. */
    private static boolean onlyParameters(String sql, int n) {
        TokenReader r = new TokenReader(sql);
        int values = TokenReader.topLevel(r.tokens, 0, t -> t.isWord("VALUES"));
        if (values < 0 || values + 1 >= r.tokens.size() || !r.tokens.get(values + 1).isSymbol('(')) {
            return false;
        }
        int i = values + 2;
        for (int k = 0; k < n; k++) {
            if (i >= r.tokens.size() || !r.tokens.get(i).text().equals("?")
                    || r.tokens.get(i).type() != SqlToken.Type.PARAMETER) {
                return false;
            }
            i++;
            if (k < n - 1) {
                if (i >= r.tokens.size() || !r.tokens.get(i).isSymbol(',')) {
                    return false;
                }
                i++;
            }
        }
        if (i >= r.tokens.size() || !r.tokens.get(i).isSymbol(')')) {
            return false;
        }
        i++;
        return i == r.tokens.size() || i == r.tokens.size() - 1 && r.tokens.get(i).isSymbol(';');
    }
}
