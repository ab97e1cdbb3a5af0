package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rewrites an UPSERT whose conflict target is a UNIQUE constraint of a CRR into one whose target is the primary key. A
 * CRR's UNIQUE constraints are checks over a plain index (a merge must never fail on one), which SQLite's
 * {@code ON CONFLICT (c)} cannot name. Each row's key becomes that of the row already holding its target values, if
 * one does; SQLite's own UPSERT then updates that row, with its {@code excluded} values, {@code WHERE}, {@code RETURNING}
 * and update count as written. A row whose target values are free keeps the key it brought (or none, to be generated):
 *
 * <pre>
 * INSERT INTO t (email, name) VALUES (?, ?) ON CONFLICT (email) DO UPDATE SET name = excluded.name
 * INSERT INTO t (email, name, "id") WITH __corrosion_upsert(c1, c2) AS (VALUES (?, ?))
 *     SELECT c1, c2, (SELECT "id" FROM main."t" AS __corrosion_held WHERE __corrosion_held."email" = __corrosion_upsert.c1
 *     COLLATE BINARY ORDER BY __corrosion_held."id" LIMIT 1) FROM __corrosion_upsert WHERE true
 *     ON CONFLICT ("id") DO UPDATE SET name = excluded.name
 * </pre>
 *
 * Where the rows bring their key (or it has a default), a collision on that key alone must fail, as SQLite fails it (the key is not the
 * target): the DO UPDATE's WHERE becomes {@code CASE WHEN crsql_internal_upsert_target(<the row's target values are
 * the excluded ones>, <SQLite's message>) THEN (<its WHERE>) END}, the function failing otherwise (a CASE: SQLite drops
 * a term ANDed with a constant false), and a DO NOTHING becomes such a DO UPDATE that updates nothing. Under
 * {@code OR IGNORE} the WHERE asks without the function, and the row is skipped; under {@code OR FAIL}, {@code OR
 * ROLLBACK} and {@code OR REPLACE} (REPLACE INTO) such a statement is not rewritten: no function can do what they do.
 * Parameters keep their number and order.
 *
 * <p>Taken: one {@code ON CONFLICT} clause, its target the columns of one full unique index (any order, no
 * {@code COLLATE}, no {@code WHERE}), every target column in the rows, {@code VALUES} or a select. Where merges left
 * several rows with the values (a UNIQUE constraint never stops a merge), the one with the lowest key is updated. Not as
 * SQLite: two rows of one statement with the same new target values (the second collides with the first, which SQLite
 * would update); {@code excluded.<key>} is the key of the row updated, and so is {@code NEW.<key>} in the table's
 * BEFORE INSERT triggers (random schema probe, seed 31062).
 */
public final class UpsertTargetRewrite extends InsertReader {
    private static final String ROWS = "__corrosion_upsert";
    private static final String HELD = "__corrosion_held";
    /** The function the guard calls. */
    public static final String GUARD = "crsql_internal_upsert_target";

    /**
     * What the rewrite needs of the table.
     *
     * @param table      its name as declared
     * @param key        its primary key columns, in order
     * @param defaults   the default of each key column, as declared (null: none)
     * @param rowColumns the columns rows supply where the statement lists none, in order
     * @param target     the unique index's columns, in order
     * @param collations their collations
     */
    public record Shape(String table, List<String> key, List<String> defaults, List<String> rowColumns,
            List<String> target, List<String> collations) {}

    private int conflict = -1;
    private int targetClose = -1;
    private String alias;

    private UpsertTargetRewrite(String sql) {
        super(sql);
    }

    /**
     * The columns the statement's conflict target names, unquoted: empty unless it is an INSERT with one {@code ON
     * CONFLICT} clause, whose target has neither {@code COLLATE} nor {@code WHERE}.
     */
    public static Optional<List<String>> target(String statementSql) {
        UpsertTargetRewrite r = new UpsertTargetRewrite(statementSql);
        return r.readTarget() ? Optional.of(r.targetColumns()) : Optional.empty();
    }

    /** The statement on the primary key; empty if its shape is not one this rewrite takes (it then runs as written). */
    public static Optional<String> rewrite(String statementSql, Shape shape) {
        UpsertTargetRewrite r = new UpsertTargetRewrite(statementSql);
        return r.readTarget() && r.run(shape) ? Optional.of(r.apply()) : Optional.empty();
    }

    private boolean readTarget() {
        if (!intoTable()) {
            return false;
        }
        if (tokens.get(pos - 2).isWord("AS")) {
            alias = tokens.get(pos - 1).name(sql);
        }
        int at = pos;
        if (isSymbol(at, '(')) {
            at = matchingParen(at);
            if (at < 0) {
                return false;
            }
            at++;
        }
        conflict = sourceEnd(at);
        if (conflict >= tokens.size() || !tokens.get(conflict).isWord("ON") || !isSymbol(conflict + 2, '(')) {
            return false;
        }
        targetClose = matchingParen(conflict + 2);
        if (targetClose < 0 || targetClose + 1 >= tokens.size() || !tokens.get(targetClose + 1).isWord("DO")) {
            return false; // a WHERE on the target: a partial index
        }
        for (int i = conflict + 3; i < targetClose; i++) {
            if (tokens.get(i).isWord("COLLATE") || isSymbol(i, '(')) {
                return false;
            }
        }
        int next = topLevel(targetClose + 1, t -> t.isWord("CONFLICT"));
        return next < 0; // one clause
    }

    private List<String> targetColumns() {
        List<String> out = new ArrayList<>();
        for (int[] item : items(conflict + 3, targetClose)) {
            String text = sql.substring(item[0], item[1]).trim();
            List<SqlToken> words = SqlLexer.tokenize(text);
            out.add(Identifiers.unquote(text.substring(words.get(0).start(), words.get(0).end())));
        }
        return out;
    }

    private boolean run(Shape shape) {
        int listOpen = tokens.get(pos - 1).end();
        List<String> columns;
        int from = pos;
        if (isSymbol(pos, '(')) {
            int close = matchingParen(pos);
            columns = names(pos + 1, close);
            listOpen = tokens.get(close).start();
            from = close + 1;
        } else {
            columns = shape.rowColumns();
        }
        if (from >= conflict || tokens.get(from).isWord("DEFAULT")) {
            return false;
        }
        List<Integer> targetAt = new ArrayList<>();
        for (String t : shape.target()) {
            int i = indexOf(columns, t);
            if (i < 0) {
                return false; // its default would be compared: not worth a rewrite
            }
            targetAt.add(i);
        }
        StringBuilder lookup = new StringBuilder(" FROM main." + Identifiers.quote(shape.table()) + " AS " + HELD + " WHERE ");
        StringBuilder same = new StringBuilder();
        String table = alias != null ? Identifiers.quote(alias) : Identifiers.quote(shape.table());
        for (int i = 0; i < shape.target().size(); i++) {
            String col = Identifiers.quote(shape.target().get(i));
            String collate = " COLLATE " + shape.collations().get(i);
            lookup.append(i > 0 ? " AND " : "").append(HELD).append('.').append(col).append(" = ").append(ROWS)
                    .append(".c").append(targetAt.get(i) + 1).append(collate);
            same.append(i > 0 ? " AND " : "").append(table).append('.').append(col).append(" = excluded.").append(col)
                    .append(collate);
        }
        // rows of two nodes may share the values (merges never fail on UNIQUE): the one with the lowest key is updated
        lookup.append(" ORDER BY ").append(quoted(shape.key(), HELD + ".")).append(" LIMIT 1");
        StringBuilder items = new StringBuilder();
        StringBuilder names = new StringBuilder();
        StringBuilder added = new StringBuilder();
        boolean keyBrought = false;
        for (int i = 0; i < columns.size(); i++) {
            names.append(i > 0 ? ", " : "").append('c').append(i + 1);
            String item = "c" + (i + 1);
            if (indexOf(shape.key(), columns.get(i)) >= 0) {
                item = "COALESCE((SELECT " + Identifiers.quote(keyName(shape, columns.get(i))) + lookup + "), " + item + ")";
                keyBrought = true;
            }
            items.append(i > 0 ? ", " : "").append(item);
        }
        for (int i = 0; i < shape.key().size(); i++) {
            String k = shape.key().get(i);
            if (indexOf(columns, k) < 0) { // its default where the values are free, as SQLite would take it
                String held = "(SELECT " + Identifiers.quote(k) + lookup + ")";
                String free = shape.defaults().get(i);
                keyBrought |= free != null; // a default may be taken too
                added.append(", ").append(Identifiers.quote(k));
                items.append(", ").append(free == null ? held : "COALESCE(" + held + ", (" + free + "))");
            }
        }
        edits.add(new Edit(listOpen, listOpen, isSymbol(pos, '(') ? added.toString()
                : " (" + quoted(columns, "") + added + ")"));
        int start = tokens.get(from).start();
        int stop = tokens.get(conflict - 1).end();
        edits.add(new Edit(start, start, "WITH " + ROWS + "(" + names + ") AS ("));
        edits.add(new Edit(stop, stop, ") SELECT " + items + " FROM " + ROWS + " WHERE true"));
        edits.add(new Edit(tokens.get(conflict + 2).start(), tokens.get(targetClose).end(), "(" + quoted(shape.key(), "") + ")"));
        if (!keyBrought) {
            return true;
        }
        if ("IGNORE".equals(orAction)) {
            guard(shape, same.toString()); // the key collided alone: NULL, the row skipped
        } else if (orAction == null || orAction.equals("ABORT")) {
            guard(shape, GUARD + "(" + same + ", " + Identifiers.literal("UNIQUE constraint failed: " + keyNames(shape)) + ")");
        } else {
            return false; // FAIL keeps the rows before, ROLLBACK ends the transaction, REPLACE deletes: no function can
        }
        return true;
    }

    /** SQLite's names of the key's columns in its errors: {@code t.a, t.b}. */
    private static String keyNames(Shape shape) {
        return shape.key().stream().map(k -> shape.table() + "." + k).collect(Collectors.joining(", "));
    }

    /** {@code <prefix>"a", <prefix>"b"}. */
    private static String quoted(List<String> names, String prefix) {
        return names.stream().map(n -> prefix + Identifiers.quote(n)).collect(Collectors.joining(", "));
    }

    /**
     * The DO UPDATE's WHERE asks {@code guard} first, whether the key collided by the target; a DO NOTHING becomes a DO
     * UPDATE that asks and updates nothing.
     */
    private void guard(Shape shape, String guard) {
        int returning = topLevel(targetClose + 1, t -> t.isWord("RETURNING"));
        int end = returning >= 0 ? returning : tokens.size() - (isSymbol(tokens.size() - 1, ';') ? 1 : 0);
        int endAt = end < tokens.size() ? tokens.get(end).start() : tokens.get(end - 1).end();
        int action = targetClose + 2;
        if (tokens.get(action).isWord("NOTHING")) {
            String self = Identifiers.quote(shape.key().get(0));
            edits.add(new Edit(tokens.get(action).start(), tokens.get(action).end(),
                    "UPDATE SET " + self + " = " + self + " WHERE CASE WHEN " + guard + " THEN 0 END"));
            return;
        }
        int where = topLevel(action, t -> t.isWord("WHERE"));
        if (where >= 0 && where < end) {
            edits.add(new Edit(tokens.get(where).end(), tokens.get(where).end(), " CASE WHEN " + guard + " THEN ("));
            edits.add(new Edit(endAt, endAt, end < tokens.size() ? ") END " : ") END"));
        } else {
            edits.add(new Edit(endAt, endAt, (end < tokens.size() ? "WHERE " : " WHERE ") + guard + (end < tokens.size() ? " " : "")));
        }
    }

    /** The key column {@code column} (as the statement names it) is, as declared. */
    private static String keyName(Shape shape, String column) {
        return shape.key().get(indexOf(shape.key(), column));
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code target} names the columns of {@code index} (any order, any case). */
    public static boolean sameColumns(List<String> target, List<String> index) {
        Set<String> a = new HashSet<>();
        target.forEach(t -> a.add(t.toLowerCase(Locale.ROOT)));
        Set<String> b = new HashSet<>();
        index.forEach(t -> b.add(t.toLowerCase(Locale.ROOT)));
        return a.size() == target.size() && a.equals(b);
    }
}
