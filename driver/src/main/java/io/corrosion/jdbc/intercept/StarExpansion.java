package io.corrosion.jdbc.intercept;

import io.corrosion.jdbc.intercept.FromClauses.Item;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code *} and {@code t.*} over tables that carry the driver's hidden key ({@link CrrTableDdl#ROW_ID_COLUMN}),
 * written out as the tables' own columns, so that the key stays out of result sets as it stays out of
 * {@code DatabaseMetaData}: in SELECTs, subqueries, common table expressions, compound SELECTs, {@code INSERT ...
 * SELECT *}, {@code CREATE VIEW ... AS SELECT *}, trigger bodies and {@code RETURNING *}.
 *
 * <p>A {@code *} of a FROM clause that names such a table becomes every FROM item's columns in order, as SQLite
 * would list them ({@code USING} and {@code NATURAL} joins list their join columns once), each qualified by the item's
 * alias or name (but a join column left of a RIGHT or FULL join, which SQLite names unqualified); an item that is not
 * a table or view (a subquery, a table-valued function) stays {@code alias.*}. A {@code *} among RETURNING's columns
 * is the written table's.
 * A {@code NATURAL JOIN} of two such tables would also join on the hidden keys, which never match: it becomes a join
 * {@code USING} the columns they share. Where a FROM clause is beyond this reading (a parenthesised join, an unnamed
 * subquery beside such a table, a name that is not a table), the statement runs as written.
 */
public final class StarExpansion {

    /** What a name in a FROM clause is, as {@code SELECT *} would show it. */
    public interface Tables {
        /**
         * The table or view's columns in order, the hidden key included where it has one; null if the name is not a
         * table or view of the connection (a common table expression, say).
         *
         * @param schema the schema it was qualified with, or null
         */
        List<String> columns(String schema, String name) throws SQLException;
    }

    private static final Set<String> BEFORE_STAR = Set.of("SELECT", "DISTINCT", "ALL", "RETURNING");

    private final TokenReader r;
    private final FromClauses from;
    private final Tables tables;
    private final String returningTable;
    private final List<Edit> edits = new ArrayList<>();

    private StarExpansion(String sql, Tables tables, String returningTable) {
        this.r = new TokenReader(sql);
        this.from = new FromClauses(r);
        this.tables = tables;
        this.returningTable = returningTable;
    }

    /**
     * True if the statement has a {@code *} or {@code t.*} result column or a {@code NATURAL} join, which
     * {@link #rewrite} may change: a cheap test for classifying.
     */
    static boolean applies(List<SqlToken> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            if (isStar(tokens, i) || tokens.get(i).isWord("NATURAL")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The statement with its stars over hidden keys written out; the text unchanged if it has none.
     *
     * @param returningTable the table a DML statement writes (whose columns {@code RETURNING *} lists), or null
     */
    public static String rewrite(String statementSql, Tables tables, String returningTable) throws SQLException {
        return new StarExpansion(statementSql, tables, returningTable).run();
    }

    private static boolean isStar(List<SqlToken> tokens, int i) {
        if (i == 0 || !tokens.get(i).isSymbol('*')) {
            return false;
        }
        SqlToken before = tokens.get(i - 1);
        return before.isSymbol(',') || before.isSymbol('.') && i >= 2 && tokens.get(i - 2).isName()
                || before.type() == SqlToken.Type.WORD && BEFORE_STAR.contains(before.text());
    }

    private String run() throws SQLException {
        List<SqlToken> tokens = r.tokens;
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).isWord("NATURAL")) {
                naturalJoin(i);
            }
            if (!isStar(tokens, i)) {
                continue;
            }
            if (tokens.get(i - 1).isSymbol('.')) {
                qualified(i);
            } else if (from.inReturning(i)) {
                returning(i);
            } else {
                unqualified(i);
            }
        }
        if (edits.isEmpty()) {
            return r.sql;
        }
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder out = new StringBuilder(r.sql);
        for (Edit e : edits) {
            out.replace(e.start, e.end, e.text);
        }
        return out.toString();
    }

    // ---- the three kinds of star ---------------------------------------------------------------------------------

    /** {@code t.*} (or {@code s.t.*}): written out if {@code t} is an item of its FROM clause with a hidden key. */
    private void qualified(int star) throws SQLException {
        List<SqlToken> tokens = r.tokens;
        String qualifier = tokens.get(star - 2).name(r.sql);
        int start = tokens.get(star - 2).start();
        if (star >= 4 && tokens.get(star - 3).isSymbol('.') && tokens.get(star - 4).isName()) {
            start = tokens.get(star - 4).start();
        }
        List<Item> items = from.itemsOf(star);
        if (items == null) {
            return;
        }
        for (Item item : items) {
            if (item.qualifier() != null && item.qualifier().equalsIgnoreCase(qualifier)) {
                List<String> columns = columnsOf(item);
                if (columns != null && hasHiddenKey(columns)) {
                    edits.add(new Edit(start, tokens.get(star).end(), listed(r.sql.substring(start,
                            tokens.get(star).start()), visible(columns, Set.of()))));
                }
                return;
            }
        }
    }

    /** {@code RETURNING *} of a statement that writes a table with a hidden key. */
    private void returning(int star) throws SQLException {
        if (returningTable == null) {
            return;
        }
        List<String> columns = tables.columns(null, returningTable);
        if (columns != null && hasHiddenKey(columns)) {
            edits.add(new Edit(r.tokens.get(star).start(), r.tokens.get(star).end(), listed("", visible(columns, Set.of()))));
        }
    }

    /** {@code *}: every FROM item's columns, when one of them has a hidden key. */
    private void unqualified(int star) throws SQLException {
        List<Item> items = from.itemsOf(star);
        if (items == null || items.isEmpty()) {
            return;
        }
        List<List<String>> columns = columnsOf(items);
        boolean hidden = false;
        for (List<String> c : columns) {
            hidden |= c != null && hasHiddenKey(c);
        }
        if (!hidden) {
            return;
        }
        List<Set<String>> joins = joinColumns(items, columns);
        if (joins == null) {
            return;
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            Item item = items.get(k);
            List<String> c = columns.get(k);
            Set<String> unqualified = leftOfRightJoin(items, k) ? laterJoinColumns(joins, k) : Set.of();
            if (item.qualifier() == null || c == null && !unqualified.isEmpty()) {
                return;
            }
            String prefix = Identifiers.quote(item.qualifier()) + ".";
            if (c == null) {
                out.add(prefix + "*");
                continue;
            }
            for (String column : visible(c, joins.get(k))) {
                out.add(columnReference(prefix, column, unqualified));
            }
        }
        SqlToken t = r.tokens.get(star);
        edits.add(new Edit(t.start(), t.end(), String.join(", ", out)));
    }

    /**
     * Per FROM item, the columns that its USING or NATURAL join lists once (lower-cased; empty for other joins); null
     * if they are unknown (the item or one left of it is not a table or view).
     */
    private static List<Set<String>> joinColumns(List<Item> items, List<List<String>> columns) {
        List<Set<String>> out = new ArrayList<>(items.size());
        Set<String> left = new HashSet<>();
        for (int k = 0; k < items.size(); k++) {
            Item item = items.get(k);
            List<String> c = columns.get(k);
            Set<String> join = Set.of();
            if (item.natural() >= 0 || item.using() != null) {
                if (c == null || left.contains(null)) {
                    return null;
                }
                join = item.using() != null ? lower(item.using()) : common(left, c);
            }
            out.add(join);
            if (c == null) {
                left.add(null);
            } else {
                for (String column : c) {
                    left.add(column.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** True if a RIGHT or FULL join follows item {@code k}. */
    private static boolean leftOfRightJoin(List<Item> items, int k) {
        for (int j = k + 1; j < items.size(); j++) {
            if (items.get(j).right()) {
                return true;
            }
        }
        return false;
    }

    /** The columns that the USING or NATURAL joins after item {@code k} list once. */
    private static Set<String> laterJoinColumns(List<Set<String>> joins, int k) {
        Set<String> out = new HashSet<>();
        for (int j = k + 1; j < joins.size(); j++) {
            out.addAll(joins.get(j));
        }
        return out;
    }

    /**
     * A column of a {@code *}, as SQLite writes it out: qualified, but for one that a later USING or NATURAL join lists
     * once when a RIGHT or FULL join follows. Unqualified, that reads the joined value (the right table's, or both
     * coalesced) where the table's own would be NULL on the rows only the right side has; named, so that its label
     * is the column's name and not the coalesce's text.
     */
    private static String columnReference(String prefix, String column, Set<String> unqualified) {
        String name = Identifiers.quote(column);
        return unqualified.contains(column.toLowerCase(Locale.ROOT)) ? name + " AS " + name : prefix + name;
    }

    /**
     * {@code a NATURAL JOIN b} where both have the hidden key joins on it too, and the keys of two tables never match:
     * the join becomes one {@code USING} the columns they share (or {@code ON 1} when they share none), which is what
     * it means without the hidden keys.
     */
    private void naturalJoin(int natural) throws SQLException {
        List<Item> items = from.itemsOf(natural);
        if (items == null) {
            return;
        }
        Set<String> left = new HashSet<>();
        for (Item item : items) {
            List<String> c = columnsOf(item);
            if (c == null) {
                return; // what the join shares is unknown
            }
            if (item.natural() == natural) {
                if (!left.contains(CrrTableDdl.ROW_ID_COLUMN) || !hasHiddenKey(c)) {
                    return;
                }
                List<String> shared = new ArrayList<>();
                for (String column : visible(c, Set.of())) {
                    if (left.contains(column.toLowerCase(Locale.ROOT))) {
                        shared.add(Identifiers.quote(column));
                    }
                }
                SqlToken word = r.tokens.get(natural);
                SqlToken last = r.tokens.get(item.end() - 1);
                String constraint = shared.isEmpty() ? " ON 1" : " USING (" + String.join(", ", shared) + ")";
                edits.add(new Edit(word.start(), last.end(), r.sql.substring(word.end(), last.end()).stripLeading()
                        + constraint));
                return;
            }
            for (String column : c) {
                left.add(column.toLowerCase(Locale.ROOT));
            }
        }
    }

    // ---- columns -------------------------------------------------------------------------------------------------

    private List<String> columnsOf(Item item) throws SQLException {
        return item.table() == null ? null : tables.columns(item.schema(), item.table());
    }

    private List<List<String>> columnsOf(List<Item> items) throws SQLException {
        List<List<String>> columns = new ArrayList<>(items.size());
        for (Item item : items) {
            columns.add(columnsOf(item));
        }
        return columns;
    }

    private static boolean hasHiddenKey(List<String> columns) {
        for (String c : columns) {
            if (c.equalsIgnoreCase(CrrTableDdl.ROW_ID_COLUMN)) {
                return true;
            }
        }
        return false;
    }

    /** The columns in order without the hidden key and without {@code except} (lower-cased names). */
    private static List<String> visible(List<String> columns, Set<String> except) {
        List<String> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            if (!c.equalsIgnoreCase(CrrTableDdl.ROW_ID_COLUMN) && !except.contains(c.toLowerCase(Locale.ROOT))) {
                out.add(c);
            }
        }
        return out;
    }

    private static Set<String> common(Set<String> left, List<String> columns) {
        Set<String> shared = new HashSet<>();
        for (String c : columns) {
            if (left.contains(c.toLowerCase(Locale.ROOT))) {
                shared.add(c.toLowerCase(Locale.ROOT));
            }
        }
        return shared;
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            out.add(n.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String listed(String prefix, List<String> columns) {
        List<String> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            out.add(prefix + Identifiers.quote(c));
        }
        return String.join(", ", out);
    }

    private record Edit(int start, int end, String text) {}
}
