package io.corrosion.jdbc.intercept;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads of SQLite's own schema relations, rewritten so that the driver's objects stay out of the application's sight
 * as they do in {@code DatabaseMetaData}: tools such as jOOQ's code generator read {@code sqlite_master} and
 * {@code pragma_table_xinfo} directly.
 * <ul>
 *   <li>{@code sqlite_master}, {@code sqlite_schema}, {@code sqlite_temp_master}, {@code sqlite_temp_schema}: without
 *       the rows of internal tables (and their indexes, triggers and views) and of the driver's triggers;</li>
 *   <li>{@code pragma_table_info(..)}, {@code pragma_table_xinfo(..)}, {@code PRAGMA table_info/table_xinfo}: without
 *       the hidden key of tables created without one ({@link CrrTableDdl#ROW_ID_COLUMN});</li>
 *   <li>{@code PRAGMA table_list}: without internal tables.</li>
 * </ul>
 * Each is replaced by a subquery over the original with the same columns, keeping an alias the statement gave it.
 */
public final class SchemaReads {
    private static final Set<String> MASTER = Set.of("SQLITE_MASTER", "SQLITE_SCHEMA", "SQLITE_TEMP_MASTER",
            "SQLITE_TEMP_SCHEMA");
    private static final Set<String> COLUMN_PRAGMAS = Set.of("PRAGMA_TABLE_INFO", "PRAGMA_TABLE_XINFO");
    /** Words that may follow a FROM item without being its alias. */
    private static final Set<String> NOT_AN_ALIAS = Set.of("WHERE", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "CROSS",
            "NATURAL", "OUTER", "ON", "USING", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW",
            "HAVING", "INDEXED", "NOT", "RETURNING");
    private static final String INTERNAL_NAME = "%s LIKE 'crsql\\_%%' ESCAPE '\\' OR %s LIKE '%%\\_\\_crsql\\_%%' ESCAPE '\\'"
            + " OR %s LIKE '%%\\_\\_corrosion\\_%%' ESCAPE '\\'";
    private static final String MASTER_FILTER = " WHERE NOT (" + INTERNAL_NAME.formatted("name", "name", "name") + " OR "
            + INTERNAL_NAME.formatted("tbl_name", "tbl_name", "tbl_name") + ")";
    private static final String COLUMN_FILTER = " WHERE name NOT LIKE '\\_\\_corrosion\\_%' ESCAPE '\\'";
    private static final Pattern COLUMN_PRAGMA = Pattern.compile(
            "(?is)\\s*PRAGMA\\s+(?:main\\s*\\.\\s*)?(table_x?info)\\s*\\(\\s*(?:'([^']*)'|\"([^\"]*)\"|`([^`]*)`|\\[([^\\]]*)]|(\\w+))\\s*\\)\\s*;?\\s*");
    private static final Pattern TABLE_LIST = Pattern.compile("(?is)\\s*PRAGMA\\s+(?:main\\s*\\.\\s*)?table_list\\s*;?\\s*");

    private SchemaReads() {}

    /** True if the SQL text may read a schema relation this class rewrites; a cheap test for classifying. */
    public static boolean mentionedIn(String sql) {
        String lower = sql.toLowerCase(Locale.ROOT);
        return lower.contains("sqlite_master") || lower.contains("sqlite_schema") || lower.contains("sqlite_temp_")
                || lower.contains("table_info") || lower.contains("table_xinfo") || lower.contains("table_list");
    }

    /** The statement with its schema relations filtered; the text unchanged if it reads none. */
    public static String rewrite(String statementSql) {
        Optional<String> pragma = rewritePragma(statementSql);
        if (pragma.isPresent()) {
            return pragma.get();
        }
        TokenReader r = new TokenReader(statementSql);
        StringBuilder out = new StringBuilder(statementSql);
        boolean changed = false;
        for (int i = r.tokens.size() - 1; i >= 0; i--) { // from the end: offsets before an edit stay valid
            SqlToken t = r.tokens.get(i);
            if (!t.isName() || t.type() == SqlToken.Type.STRING) {
                continue;
            }
            String upper = t.type() == SqlToken.Type.WORD ? t.text() : t.text().toUpperCase(Locale.ROOT);
            int start = t.start();
            String schema = "";
            if (i >= 2 && r.tokens.get(i - 1).isSymbol('.') && r.tokens.get(i - 2).isName()) {
                schema = r.tokens.get(i - 2).name(statementSql) + ".";
                start = r.tokens.get(i - 2).start();
            }
            if (MASTER.contains(upper) && !isColumnReference(r, i)) {
                String alias = hasAlias(r, i + 1) ? "" : " AS " + t.name(statementSql);
                out.replace(start, t.end(), "(SELECT * FROM " + quoted(schema) + t.name(statementSql) + MASTER_FILTER + ")" + alias);
                changed = true;
            } else if (COLUMN_PRAGMAS.contains(upper) && i + 1 < r.tokens.size() && r.tokens.get(i + 1).isSymbol('(')) {
                int close = r.matchingParen(i + 1);
                if (close > 0) {
                    String call = statementSql.substring(start, r.tokens.get(close).end());
                    String alias = hasAlias(r, close + 1) ? "" : " AS " + t.name(statementSql);
                    out.replace(start, r.tokens.get(close).end(), "(SELECT * FROM " + call + COLUMN_FILTER + ")" + alias);
                    changed = true;
                }
            }
        }
        return changed ? out.toString() : statementSql;
    }

    /** {@code PRAGMA table_info(t)} and friends as the filtered SELECT with the same columns; empty for other text. */
    static Optional<String> rewritePragma(String sql) {
        Matcher m = COLUMN_PRAGMA.matcher(sql);
        if (m.matches()) {
            String table = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3)
                    : m.group(4) != null ? m.group(4) : m.group(5) != null ? m.group(5) : m.group(6);
            return Optional.of("SELECT * FROM pragma_" + m.group(1).toLowerCase(Locale.ROOT) + "('" + table.replace("'", "''")
                    + "')" + COLUMN_FILTER);
        }
        if (TABLE_LIST.matcher(sql).matches()) {
            return Optional.of("SELECT * FROM pragma_table_list WHERE NOT (" + INTERNAL_NAME.formatted("name", "name", "name")
                    + ")");
        }
        return Optional.empty();
    }

    /** {@code sqlite_master.name}: the name qualifies a column, it is not the relation. */
    private static boolean isColumnReference(TokenReader r, int i) {
        return i + 1 < r.tokens.size() && r.tokens.get(i + 1).isSymbol('.');
    }

    /** True if the FROM item ending before token {@code i} has an alias there. */
    private static boolean hasAlias(TokenReader r, int i) {
        if (i >= r.tokens.size()) {
            return false;
        }
        SqlToken next = r.tokens.get(i);
        if (next.isWord("AS")) {
            return true;
        }
        return next.type() == SqlToken.Type.QUOTED_IDENTIFIER
                || next.type() == SqlToken.Type.WORD && !NOT_AN_ALIAS.contains(next.text());
    }

    private static String quoted(String schemaDot) {
        return schemaDot.isEmpty() ? "" : Identifiers.quote(schemaDot.substring(0, schemaDot.length() - 1)) + ".";
    }
}
