package io.corrosion.jdbc.intercept;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the statements Hibernate's table-backed id generators run and rewrites them into calls the driver
 * answers itself, so the values become node-private and no write lock is taken:
 *
 * <ul>
 *   <li>sequence table ({@code <Entity>_SEQ}, {@code @SequenceGenerator} on SQLite):
 *       {@code select next_val as id_val from Person_SEQ} and {@code update Person_SEQ set next_val= ? where next_val=?}
 *   </li>
 *   <li>table generator ({@code hibernate_sequences}, {@code @TableGenerator}):
 *       {@code select next_val from hibernate_sequences where sequence_name=?} and
 *       {@code update hibernate_sequences set next_val=?  where next_val=? and sequence_name=?}</li>
 * </ul>
 *
 * The SELECT becomes {@code select <next function>('<table>', <segment or ''>) as <its label>}, one row always. The
 * UPDATE becomes an update of the one-row TEMP table {@value #ACK_TABLE} (local to the connection: no lock on the
 * database file) {@code where <accept function>('<table>', '<roles>', <its values in order>)}: one row updated when the
 * driver accepts the new value, none when it does not (Hibernate then reads again). {@code <roles>} names the values
 * in the order the application binds them: {@code new}, {@code old}, {@code segment}, comma-separated.
 */
public final class GeneratorStatements {
    /** The value column of Hibernate's generator tables (its default name). */
    public static final String VALUE_COLUMN = "next_val";
    /** The segment column of Hibernate's table generator (its default name). */
    public static final String SEGMENT_COLUMN = "sequence_name";
    /** The one-row TEMP table the rewritten UPDATE writes. */
    public static final String ACK_TABLE = "__corrosion_generator_ack";

    private static final Pattern VALUE_COLUMN_PATTERN = Pattern.compile(VALUE_COLUMN, Pattern.CASE_INSENSITIVE);

    private GeneratorStatements() {}

    /** True if the SQL could be a generator statement: reads naming {@value #VALUE_COLUMN} must reach the hook. */
    public static boolean mentionedIn(String sql) {
        return VALUE_COLUMN_PATTERN.matcher(sql).find();
    }

    /** The target table of a generator SELECT or UPDATE, if {@code statementSql} is one. */
    public static Optional<String> table(String statementSql) {
        List<SqlToken> t = SqlLexer.tokenize(statementSql);
        if (!t.isEmpty() && t.get(0).isWord("SELECT")) {
            int from = indexOfWord(t, "FROM");
            return from > 0 && from + 1 < t.size() && t.get(from + 1).isName()
                    ? Optional.of(t.get(from + 1).name(statementSql)) : Optional.empty();
        }
        if (!t.isEmpty() && t.get(0).isWord("UPDATE") && t.size() > 1 && t.get(1).isName()) {
            return Optional.of(t.get(1).name(statementSql));
        }
        return Optional.empty();
    }

    /**
     * {@code select [alias.]next_val [as label] from T [alias] [where [alias.]sequence_name = <value>]} rewritten to
     * {@code select <function>('T', <value or ''>) as <label>}; empty if the statement has another shape.
     */
    public static Optional<String> rewriteSelect(String sql, String function) {
        List<SqlToken> t = SqlLexer.tokenize(sql);
        int i = 0;
        if (!t.get(i++).isWord("SELECT")) {
            return Optional.empty();
        }
        i = skipQualifier(t, i);
        if (i >= t.size() || !isColumn(t.get(i), sql, VALUE_COLUMN)) {
            return Optional.empty();
        }
        String label = VALUE_COLUMN;
        i++;
        if (i + 1 < t.size() && t.get(i).isWord("AS") && t.get(i + 1).isName()) {
            label = t.get(i + 1).name(sql);
            i += 2;
        }
        if (i + 1 >= t.size() || !t.get(i).isWord("FROM") || !t.get(i + 1).isName()) {
            return Optional.empty();
        }
        String table = t.get(i + 1).name(sql);
        i += 2;
        if (i < t.size() && t.get(i).isName() && !t.get(i).isWord("WHERE")) {
            i++; // table alias
        }
        String segment = "''";
        if (i < t.size() && t.get(i).isWord("WHERE")) {
            i = skipQualifier(t, i + 1);
            if (i + 2 >= t.size() || !isColumn(t.get(i), sql, SEGMENT_COLUMN) || !t.get(i + 1).isSymbol('=')
                    || !isValue(t.get(i + 2))) {
                return Optional.empty();
            }
            segment = t.get(i + 2).text();
            i += 3;
        }
        if (i != t.size()) {
            return Optional.empty();
        }
        return Optional.of("select " + function + "(" + Identifiers.literal(table) + ", " + segment + ") as "
                + Identifiers.quote(label));
    }

    /**
     * {@code update T [alias] set [alias.]next_val = <new> where [alias.]next_val = <old> [and
     * [alias.]sequence_name = <segment>]} (terms in any order) rewritten to an update of {@value #ACK_TABLE} filtered by
     * {@code <function>('T', '<roles>', <values in their original order>)}; empty if the statement has another shape.
     */
    public static Optional<String> rewriteUpdate(String sql, String function) {
        List<SqlToken> t = SqlLexer.tokenize(sql);
        if (t.size() < 2 || !t.get(0).isWord("UPDATE") || !t.get(1).isName()) {
            return Optional.empty();
        }
        String table = t.get(1).name(sql);
        int i = 2;
        if (i < t.size() && t.get(i).isName() && !t.get(i).isWord("SET")) {
            i++; // table alias
        }
        if (i >= t.size() || !t.get(i).isWord("SET")) {
            return Optional.empty();
        }
        StringBuilder roles = new StringBuilder();
        StringBuilder values = new StringBuilder();
        i = term(t, sql, i + 1, VALUE_COLUMN, "new", roles, values);
        if (i < 0 || i >= t.size() || !t.get(i).isWord("WHERE")) {
            return Optional.empty();
        }
        i++;
        boolean old = false;
        while (i < t.size()) {
            int q = skipQualifier(t, i);
            boolean isOld = q < t.size() && isColumn(t.get(q), sql, VALUE_COLUMN);
            i = term(t, sql, i, isOld ? VALUE_COLUMN : SEGMENT_COLUMN, isOld ? "old" : "segment", roles, values);
            old |= isOld;
            if (i < 0) {
                return Optional.empty();
            }
            if (i < t.size() && !t.get(i++).isWord("AND")) {
                return Optional.empty();
            }
        }
        if (!old) {
            return Optional.empty();
        }
        return Optional.of("update temp." + ACK_TABLE + " set v = 0 where " + function + "(" + Identifiers.literal(table) + ", '"
                + roles + "', " + values + ")");
    }

    /** Reads {@code [alias.]column = <value>} at {@code i}; the index after it, or -1. */
    private static int term(List<SqlToken> t, String sql, int i, String column, String role, StringBuilder roles,
            StringBuilder values) {
        i = skipQualifier(t, i);
        if (i + 2 >= t.size()) {
            return -1;
        }
        if (!isColumn(t.get(i), sql, column) || !t.get(i + 1).isSymbol('=') || !isValue(t.get(i + 2))) {
            return -1;
        }
        roles.append(roles.length() == 0 ? "" : ",").append(role);
        values.append(values.length() == 0 ? "" : ", ").append(t.get(i + 2).text());
        return i + 3;
    }

    private static int skipQualifier(List<SqlToken> t, int i) {
        return i + 2 < t.size() && t.get(i).isName() && t.get(i + 1).isSymbol('.') ? i + 2 : i;
    }

    private static boolean isColumn(SqlToken token, String sql, String column) {
        return token.isName() && token.name(sql).equalsIgnoreCase(column);
    }

    private static boolean isValue(SqlToken token) {
        return token.type() == SqlToken.Type.PARAMETER || token.type() == SqlToken.Type.NUMBER
                || token.type() == SqlToken.Type.STRING;
    }

    private static int indexOfWord(List<SqlToken> t, String word) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }
}
