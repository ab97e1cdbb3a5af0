package io.corrosion.jdbc.intercept;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name AS select}, in its two parts, and the statements that make such a table
 * replicable: a CREATE TABLE with its columns spelled out (which the driver gives its hidden key) and the INSERT that
 * fills it. Works on tokens, so the query stays as the application wrote it.
 *
 * @param head   the statement up to {@code AS}, e.g. {@code CREATE TABLE IF NOT EXISTS main.copy}
 * @param select the query after {@code AS}, without a trailing {@code ;}
 */
public record CreateTableAsSelect(String head, String select) {

    /**
     * A column as SQLite's {@code CREATE TABLE ... AS SELECT} declares it.
     *
     * @param name the result column's name, de-duplicated as SQLite does ({@code a:1})
     * @param type the type SQLite derives from the expression's affinity ({@code TEXT}, {@code NUM}, {@code INT},
     *             {@code REAL}), or empty
     */
    public record Column(String name, String type) {}

    /** The statement's parts; empty if it is not a {@code CREATE TABLE ... AS SELECT}. */
    public static Optional<CreateTableAsSelect> parse(String createTableSql) {
        TokenReader r = new TokenReader(createTableSql);
        int as = r.topLevel(0, t -> t.isWord("AS") || t.isSymbol('('));
        int last = r.tokens.size() - 1;
        while (last > as && r.tokens.get(last).isSymbol(';')) {
            last--;
        }
        if (as < 0 || !r.tokens.get(as).isWord("AS") || last <= as) {
            return Optional.empty();
        }
        return Optional.of(new CreateTableAsSelect(createTableSql.substring(0, r.tokens.get(as).start()).strip(),
                createTableSql.substring(r.tokens.get(as + 1).start(), r.tokens.get(last).end())));
    }

    /** True if the query has parameters ({@code ?}, {@code ?1}, {@code :name}, ...). */
    public boolean hasParameters() {
        return SqlLexer.tokenize(select).stream().anyMatch(t -> t.type() == SqlToken.Type.PARAMETER);
    }

    /**
     * The type SQLite's {@code CREATE TABLE ... AS} declares for a result column that a view of the same query declares
     * {@code viewType}: the name of that type's affinity, by SQLite's rules in their order ({@code INT} for a type that
     * contains "INT", {@code TEXT} for "CHAR", "CLOB" or "TEXT", none for "BLOB" or no type, {@code REAL} for "REAL",
     * "FLOA" or "DOUB", else {@code NUM}). A view keeps a column's declared type ({@code VARCHAR(20)}) where the
     * table's statement spells only its affinity ({@code TEXT}).
     */
    public static String tableType(String viewType) {
        String type = viewType == null ? "" : viewType.toUpperCase(Locale.ROOT);
        if (type.contains("INT")) {
            return "INT";
        }
        if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
            return "TEXT";
        }
        if (type.contains("BLOB") || type.isEmpty()) {
            return "";
        }
        if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
            return "REAL";
        }
        return "NUM";
    }

    /** {@code CREATE TABLE [IF NOT EXISTS] name ("a" TEXT, "b", ...)}: the table the statement creates, as DDL. */
    public String createTable(List<Column> columns) {
        StringBuilder sql = new StringBuilder(head).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(c.name()));
            if (!c.type().isEmpty()) {
                sql.append(' ').append(c.type());
            }
        }
        return sql.append(')').toString();
    }

    /** {@code INSERT INTO main."table" ("a", ...) <select>}: the rows the statement copies. */
    public String insert(String table, List<String> columns) {
        List<String> quoted = columns.stream().map(Identifiers::quote).toList();
        return "INSERT INTO main." + Identifiers.quote(table) + " (" + String.join(", ", quoted) + ") " + select;
    }
}
