package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The FROM clauses of one statement, read from its tokens for {@link StarExpansion}: which SELECT (or RETURNING) a
 * token's result columns belong to, and the items of that SELECT's FROM clause with their joins. A name that a common
 * table expression of the statement defines is not taken for the table of that name.
 */
final class FromClauses {
    private static final Set<String> CORE_END = Set.of("WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION",
            "INTERSECT", "EXCEPT", "RETURNING");
    private static final Set<String> JOIN_WORDS = Set.of("NATURAL", "LEFT", "RIGHT", "FULL", "OUTER", "INNER", "CROSS",
            "JOIN");
    private static final Set<String> NOT_AN_ALIAS = Set.of("WHERE", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "CROSS",
            "NATURAL", "OUTER", "ON", "USING", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW",
            "HAVING", "INDEXED", "NOT", "RETURNING");

    private final TokenReader r;
    /** Names that common table expressions define: never the table of the same name. */
    private final Set<String> cteNames = new HashSet<>();

    FromClauses(TokenReader r) {
        this.r = r;
        collectCteNames();
    }

    /**
     * One item of a FROM clause. {@code natural} is the index of its {@code NATURAL} token (or -1), {@code using} its
     * USING list (or null), {@code right} whether it is joined by a RIGHT or FULL join, {@code end} the index after
     * its last token (before any ON or USING).
     */
    record Item(String schema, String table, String qualifier, int natural, boolean right, List<String> using,
            int end) {}

    /**
     * The items of the FROM clause of the SELECT that the token at {@code star} belongs to; empty if it has none,
     * null if the clause is beyond this reading.
     */
    List<Item> itemsOf(int star) {
        List<SqlToken> tokens = r.tokens;
        int select = resultColumnsOf(star);
        if (select < 0 || !tokens.get(select).isWord("SELECT")) {
            return null;
        }
        int from = -1;
        int end = tokens.size();
        int depth = 0;
        for (int i = select + 1; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                if (depth == 0) {
                    end = i;
                    break;
                }
                depth--;
            } else if (depth == 0 && (t.isSymbol(';') || t.type() == SqlToken.Type.WORD && CORE_END.contains(t.text()))) {
                end = i;
                break;
            } else if (depth == 0 && from < 0 && t.isWord("FROM") && !tokens.get(i - 1).isWord("DISTINCT")) {
                from = i; // the FROM of IS [NOT] DISTINCT FROM is an operator's
            }
        }
        return from < 0 ? List.of() : items(from + 1, end);
    }

    /** The index of the SELECT or RETURNING whose result columns hold the token at {@code at}; -1 if none. */
    int resultColumnsOf(int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            SqlToken t = r.tokens.get(i);
            if (t.isSymbol(')')) {
                depth++;
            } else if (t.isSymbol('(')) {
                if (depth == 0) {
                    return -1;
                }
                depth--;
            } else if (depth == 0 && (t.isWord("SELECT") || t.isWord("RETURNING"))) {
                return i;
            }
        }
        return -1;
    }

    /** True if the {@code *} at {@code star} is one of the RETURNING clause's result columns. */
    boolean inReturning(int star) {
        int at = resultColumnsOf(star);
        return at >= 0 && r.tokens.get(at).isWord("RETURNING");
    }

    private List<Item> items(int start, int end) {
        List<SqlToken> tokens = r.tokens;
        List<Item> items = new ArrayList<>();
        int pos = start;
        int natural = -1;
        boolean right = false;
        while (pos < end) {
            String schema = null;
            String table = null;
            String qualifier = null;
            SqlToken t = tokens.get(pos);
            if (t.isSymbol('(')) {
                int close = r.matchingParen(pos);
                if (close < 0 || close >= end || !(tokens.get(pos + 1).isWord("SELECT") || tokens.get(pos + 1).isWord("WITH")
                        || tokens.get(pos + 1).isWord("VALUES"))) {
                    return null; // a parenthesised join
                }
                pos = close + 1;
            } else if (t.isName()) {
                table = t.name(r.sql);
                pos++;
                if (pos + 1 < end && tokens.get(pos).isSymbol('.') && tokens.get(pos + 1).isName()) {
                    schema = table;
                    table = tokens.get(pos + 1).name(r.sql);
                    pos += 2;
                }
                qualifier = table;
                if (pos < end && tokens.get(pos).isSymbol('(')) { // a table-valued function
                    int close = r.matchingParen(pos);
                    if (close < 0 || close >= end) {
                        return null;
                    }
                    pos = close + 1;
                    table = null;
                }
            } else {
                return null;
            }
            if (pos < end && tokens.get(pos).isWord("AS")) {
                pos++;
            }
            if (pos < end && (tokens.get(pos).type() == SqlToken.Type.QUOTED_IDENTIFIER
                    || tokens.get(pos).type() == SqlToken.Type.STRING
                    || tokens.get(pos).type() == SqlToken.Type.WORD && !NOT_AN_ALIAS.contains(tokens.get(pos).text()))) {
                qualifier = tokens.get(pos).name(r.sql);
                pos++;
            }
            if (pos < end && tokens.get(pos).isWord("INDEXED")) {
                pos += 3; // INDEXED BY name
            } else if (pos + 1 < end && tokens.get(pos).isWord("NOT") && tokens.get(pos + 1).isWord("INDEXED")) {
                pos += 2;
            }
            int itemEnd = Math.min(pos, end);
            List<String> using = null;
            if (pos < end && tokens.get(pos).isWord("USING") && pos + 1 < end && tokens.get(pos + 1).isSymbol('(')) {
                int close = r.matchingParen(pos + 1);
                if (close < 0 || close >= end) {
                    return null;
                }
                using = new ArrayList<>();
                for (int i = pos + 2; i < close; i++) {
                    if (tokens.get(i).isName()) {
                        using.add(tokens.get(i).name(r.sql));
                    }
                }
                pos = close + 1;
            } else if (pos < end && tokens.get(pos).isWord("ON")) {
                pos = nextSeparator(pos + 1, end);
            }
            if (table != null && cteNames.contains(table.toLowerCase(Locale.ROOT)) && schema == null) {
                table = null; // the common table expression, not the table
            }
            items.add(new Item(schema, table, qualifier, natural, right, using, itemEnd));
            natural = -1;
            right = false;
            if (pos >= end) {
                break;
            }
            if (tokens.get(pos).isSymbol(',')) {
                pos++;
                continue;
            }
            if (tokens.get(pos).type() != SqlToken.Type.WORD || !JOIN_WORDS.contains(tokens.get(pos).text())) {
                return null;
            }
            while (pos < end && tokens.get(pos).type() == SqlToken.Type.WORD && JOIN_WORDS.contains(tokens.get(pos).text())) {
                if (tokens.get(pos).isWord("NATURAL")) {
                    natural = pos;
                }
                right |= tokens.get(pos).isWord("RIGHT") || tokens.get(pos).isWord("FULL");
                if (tokens.get(pos++).isWord("JOIN")) {
                    break;
                }
            }
        }
        return items;
    }

    /** The index of the next {@code ,} or join word at this level from {@code from}, or {@code end}. */
    private int nextSeparator(int from, int end) {
        int depth = 0;
        for (int i = from; i < end; i++) {
            SqlToken t = r.tokens.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && (t.isSymbol(',') || t.type() == SqlToken.Type.WORD && JOIN_WORDS.contains(t.text()))) {
                return i;
            }
        }
        return end;
    }

    /** {@code WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (...)} anywhere in the statement. */
    private void collectCteNames() {
        List<SqlToken> tokens = r.tokens;
        for (int i = 1; i < tokens.size(); i++) {
            SqlToken before = tokens.get(i - 1);
            if (!tokens.get(i).isName() || !(before.isWord("WITH") || before.isWord("RECURSIVE") || before.isSymbol(','))) {
                continue;
            }
            int next = i + 1;
            if (next < tokens.size() && tokens.get(next).isSymbol('(')) {
                int close = r.matchingParen(next);
                next = close < 0 ? tokens.size() : close + 1;
            }
            if (next + 1 < tokens.size() && tokens.get(next).isWord("AS")
                    && (tokens.get(next + 1).isSymbol('(') || tokens.get(next + 1).isWord("NOT")
                    || tokens.get(next + 1).isWord("MATERIALIZED"))) {
                cteNames.add(tokens.get(i).name(r.sql).toLowerCase(Locale.ROOT));
            }
        }
    }
}
