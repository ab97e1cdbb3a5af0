package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rewrite that lets a table an application creates become a CRR without changing how the application uses it:
 * <ul>
 *   <li>primary-key columns get {@code NOT NULL} where it is missing, unless the key is the rowid (a row is identified
 *       by its key on every node; SQLite would otherwise let a non-integer key be NULL);</li>
 *   <li>a table without a primary key gets a hidden one, {@value #ROW_ID_COLUMN} {@code INTEGER PRIMARY KEY NOT NULL},
 *       which the key allocator fills node-privately (Hibernate's element collections and bags have no key);</li>
 *   <li>UNIQUE constraints come out of the table: a merge must never fail on one, so the driver enforces them for
 *       local writes only, with a plain index and checks ({@link #uniqueIndexName}).</li>
 * </ul>
 */
public final class CrrTableDdl {
    /** The hidden key of a table created without a primary key; metadata leaves it out. */
    public static final String ROW_ID_COLUMN = "__corrosion_row_id";

    private CrrTableDdl() {}

    /**
     * The rewritten statement and the UNIQUE constraints it took out (to be created as indexes with checks).
     *
     * @param sql     the statement to run
     * @param uniques the UNIQUE constraints removed from it
     */
    public record Rewrite(String sql, List<CreateTableShape.Unique> uniques) {}

    private record Edit(int start, int end, String text) {}

    /** Rewrites {@code sql}, whose shape is {@code shape}. */
    public static Rewrite rewrite(String sql, CreateTableShape shape) {
        List<Edit> edits = new ArrayList<>();
        for (CreateTableShape.Unique u : shape.uniques()) {
            edits.add(new Edit(u.start(), u.end(), ""));
        }
        if (!isRowidAlias(shape)) { // a rowid is never NULL: SQLite assigns one
            for (String key : shape.primaryKey()) {
                shape.column(key).filter(c -> !c.notNull())
                        .ifPresent(c -> edits.add(new Edit(c.definitionEnd(), c.definitionEnd(), " NOT NULL")));
            }
        }
        if (shape.primaryKey().isEmpty() && !shape.columns().isEmpty()) {
            int at = shape.columns().get(shape.columns().size() - 1).definitionEnd();
            edits.add(new Edit(at, at, ", " + ROW_ID_COLUMN + " INTEGER PRIMARY KEY NOT NULL"));
        }
        edits.sort(Comparator.comparingInt(Edit::start).thenComparingInt(e -> e.end() - e.start()).reversed());
        StringBuilder out = new StringBuilder(sql);
        for (Edit e : edits) {
            out.replace(e.start(), e.end(), e.text());
        }
        return new Rewrite(out.toString(), shape.uniques());
    }

    /** True if the table's key is a single {@code INTEGER PRIMARY KEY} (ascending) of a rowid table. */
    private static boolean isRowidAlias(CreateTableShape shape) {
        if (shape.withoutRowid() || shape.primaryKey().size() != 1) {
            return false;
        }
        return shape.column(shape.primaryKey().get(0))
                .filter(c -> c.declaredType().equalsIgnoreCase("INTEGER") && !c.primaryKeyDesc()).isPresent();
    }

    /**
     * The name of the index that stands in for a UNIQUE constraint: the constraint's own name, else
     * {@code <table>_<columns>_unique}.
     */
    public static String uniqueIndexName(String table, CreateTableShape.Unique unique) {
        if (unique.name() != null) {
            return unique.name();
        }
        return table + "_" + String.join("_", unique.columns()) + "_unique";
    }

    /** {@code CREATE UNIQUE INDEX ...} as {@code CREATE INDEX ...}; the text unchanged if it is not one. */
    public static String withoutUnique(String createIndexSql) {
        TokenReader r = new TokenReader(createIndexSql);
        if (r.take("CREATE") && r.pos < r.tokens.size() && r.tokens.get(r.pos).isWord("UNIQUE")) {
            SqlToken unique = r.tokens.get(r.pos);
            int end = r.pos + 1 < r.tokens.size() ? r.tokens.get(r.pos + 1).start() : unique.end();
            return createIndexSql.substring(0, unique.start()) + createIndexSql.substring(end);
        }
        return createIndexSql;
    }

    /** The WHERE expression of a partial {@code CREATE INDEX ... WHERE expr}, as written; empty for a full index. */
    public static java.util.Optional<String> partialIndexWhere(String createIndexSql) {
        TokenReader r = new TokenReader(createIndexSql);
        int where = r.topLevel(0, t -> t.isWord("WHERE"));
        if (where < 0 || where + 1 >= r.tokens.size()) {
            return java.util.Optional.empty();
        }
        int end = r.tokens.get(r.tokens.size() - 1).isSymbol(';') ? r.tokens.size() - 1 : r.tokens.size();
        return java.util.Optional.of(createIndexSql.substring(r.tokens.get(where + 1).start(), r.tokens.get(end - 1).end()));
    }

    /**
     * The column {@code ALTER TABLE x DROP [COLUMN] c} drops: {@code c}, unquoted, spelled as written; empty for any
     * other ALTER TABLE.
     */
    public static java.util.Optional<String> droppedColumn(String alterTableSql) {
        TokenReader r = new TokenReader(alterTableSql);
        for (int i = 2; i + 1 < r.tokens.size(); i++) {
            if (r.tokens.get(i).isWord("DROP")) {
                int at = r.tokens.get(i + 1).isWord("COLUMN") && r.isName(i + 2) ? i + 2 : i + 1;
                return r.isName(at) ? java.util.Optional.of(r.tokens.get(at).name(alterTableSql)) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    /** The new name of {@code ALTER TABLE x RENAME TO y}: {@code y}, unquoted; empty for any other ALTER TABLE. */
    public static java.util.Optional<String> renamedTo(String alterTableSql) {
        TokenReader r = new TokenReader(alterTableSql);
        for (int i = 0; i + 2 < r.tokens.size(); i++) {
            if (r.tokens.get(i).isWord("RENAME") && r.tokens.get(i + 1).isWord("TO") && r.isName(i + 2)) {
                return java.util.Optional.of(r.tokens.get(i + 2).name(alterTableSql));
            }
        }
        return java.util.Optional.empty();
    }

    /** The names (lower case, unquoted) an expression mentions: its columns among them. */
    public static java.util.Set<String> namesIn(String expression) {
        java.util.Set<String> names = new java.util.HashSet<>();
        TokenReader r = new TokenReader(expression);
        for (SqlToken t : r.tokens) {
            if (t.isName()) {
                names.add(t.name(expression).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    /** True for {@code CREATE TABLE ... AS SELECT}: a table whose columns come from a query, with no key. */
    public static boolean isCreateTableAsSelect(String createTableSql) {
        TokenReader r = new TokenReader(createTableSql);
        int as = r.topLevel(0, t -> t.isWord("AS") || t.isSymbol('('));
        return as >= 0 && r.tokens.get(as).isWord("AS");
    }

    /** True for {@code CREATE UNIQUE INDEX}. */
    public static boolean isUniqueIndex(String createIndexSql) {
        TokenReader r = new TokenReader(createIndexSql);
        return r.take("CREATE") && r.take("UNIQUE");
    }
}
