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
    /** Its columns in order: cr-sqlite's nine, then the {@code ts} of Corrosion's fork. */
    private static final List<String> VIEW_COLUMNS =
            List.of("table", "pk", "cid", "val", "col_version", "db_version", "site_id", "cl", "seq", "ts");
    private static final Set<String> COLUMNS = Set.copyOf(VIEW_COLUMNS);
    /** cr-sqlite's {@code crsql_changes} has no {@code ts}: an INSERT without a column list gives nine values. */
    private static final int CR_SQLITE_COLUMNS = 9;
    private static final Set<String> REQUIRED = Set.of("table", "pk", "cid", "col_version", "db_version", "cl", "seq");

    private ChangesInsert() {}

    /** Whether the statement inserts into {@code crsql_changes} (any form): a merge. */
    public static boolean insertsChanges(StatementPlan plan) {
        return plan.kind() == StatementKind.INSERT && plan.table().map(TABLE::equalsIgnoreCase).orElse(false)
                && plan.targetsMainSchema();
    }

    /**
     * The column of each parameter, lower-cased, if the statement is one such INSERT: a plain INSERT into
     * {@code crsql_changes} naming known columns (each once, the required ones all), or none and giving cr-sqlite's nine
     * or all ten, one VALUES row of only {@code ?}s.
     */
    public static Optional<List<String>> parameterColumns(StatementPlan plan) {
        if (!insertsChanges(plan)) {
            return Optional.empty();
        }
        List<String> named = plan.insertColumns();
        if (named.isEmpty()) {
            int n = firstRowValues(new TokenReader(plan.sql()));
            named = n == CR_SQLITE_COLUMNS || n == VIEW_COLUMNS.size() ? VIEW_COLUMNS.subList(0, n) : List.of();
        }
        List<String> columns = new ArrayList<>();
        for (String c : named) {
            String name = c.toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name) || columns.contains(name)) {
                return Optional.empty();
            }
            columns.add(name);
        }
        if (columns.isEmpty() || !columns.containsAll(REQUIRED) || !onlyParameters(plan.sql(), columns.size())) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(columns));
    }

    /**
     * The SQL to run for {@code plan}: an INSERT into {@code crsql_changes} without a column list whose VALUES rows give
     * cr-sqlite's nine values names those nine columns (the view has ten, SQLite would refuse nine values); any other
     * statement as it is.
     */
    public static String withCrSqliteColumns(StatementPlan plan) {
        if (!insertsChanges(plan) || !plan.insertColumns().isEmpty()) {
            return plan.sql();
        }
        TokenReader r = new TokenReader(plan.sql());
        if (firstRowValues(r) != CR_SQLITE_COLUMNS) {
            return plan.sql();
        }
        int at = r.tokens.get(valuesAfterTable(r)).start();
        return plan.sql().substring(0, at) + "(\"" + String.join("\", \"", VIEW_COLUMNS.subList(0, CR_SQLITE_COLUMNS))
                + "\") " + plan.sql().substring(at);
    }

    /** The index of the VALUES right after the table's name; -1 if the statement has none there. */
    private static int valuesAfterTable(TokenReader r) {
        int values = TokenReader.topLevel(r.tokens, 0, t -> t.isWord("VALUES"));
        return values > 0 && isIdentifier(r.tokens.get(values - 1))
                && r.tokens.get(values - 1).name(r.sql).equalsIgnoreCase(TABLE) ? values : -1;
    }

    /** How many values the first row of {@code VALUES} right after the table's name has; -1 if there is none. */
    private static int firstRowValues(TokenReader r) {
        int values = valuesAfterTable(r);
        if (values < 0 || values + 1 >= r.tokens.size() || !r.tokens.get(values + 1).isSymbol('(')) {
            return -1;
        }
        int close = TokenReader.matchingParen(r.tokens, values + 1);
        if (close < 0) {
            return -1;
        }
        if (close == values + 2) {
            return 0;
        }
        int n = 1;
        int depth = 0;
        for (int i = values + 2; i < close; i++) {
            SqlToken t = r.tokens.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && t.isSymbol(',')) {
                n++;
            }
        }
        return n;
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
