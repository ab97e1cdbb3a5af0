package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The moves of the token-level INSERT rewrites: the target, the column list and rows, the source's end, and edits. */
abstract class InsertReader extends TokenReader {
    final List<Edit> edits = new ArrayList<>();
    /** After {@link #intoTable}: the statement's OR clause ({@code REPLACE} for REPLACE INTO), upper case; null if none. */
    String orAction;

    record Edit(int start, int end, String text) {}

    InsertReader(String sql) {
        super(sql);
    }

    /** Moves past {@code [WITH ...] INSERT [OR x] INTO name [AS alias]}; false if the statement is not an INSERT. */
    final boolean intoTable() {
        pos = topLevel(0, t -> t.isWord("INSERT") || t.isWord("REPLACE"));
        if (pos < 0) {
            return false;
        }
        if (tokens.get(pos++).isWord("REPLACE")) {
            orAction = "REPLACE";
        } else if (take("OR") && pos < tokens.size()) {
            orAction = tokens.get(pos++).name(sql).toUpperCase(java.util.Locale.ROOT);
        }
        if (!take("INTO") || !skipName()) {
            return false;
        }
        if (take("AS")) {
            pos++;
        }
        return true;
    }

    /** Index of the first top-level {@code ON CONFLICT} or {@code RETURNING} from {@code from} on; else the end. */
    final int sourceEnd(int from) {
        int end = topLevel(from, t -> t.isWord("RETURNING") || t.isWord("ON"));
        while (end >= 0 && tokens.get(end).isWord("ON")
                && !(end + 1 < tokens.size() && tokens.get(end + 1).isWord("CONFLICT"))) {
            end = topLevel(end + 1, t -> t.isWord("RETURNING") || t.isWord("ON"));
        }
        return end < 0 ? tokens.size() : end;
    }

    /** [start, end) character ranges of the comma-separated items between two token indexes. */
    final List<int[]> items(int from, int close) {
        List<int[]> items = new ArrayList<>();
        int depth = 0;
        int first = from;
        for (int i = from; i <= close; i++) {
            SqlToken t = tokens.get(i);
            if (i == close || (depth == 0 && t.isSymbol(','))) {
                if (i > first) {
                    items.add(new int[] {tokens.get(first).start(), tokens.get(i - 1).end()});
                }
                first = i + 1;
            } else if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                depth--;
            }
        }
        return items;
    }

    final List<String> names(int from, int close) {
        List<String> names = new ArrayList<>();
        for (int[] item : items(from, close)) {
            names.add(Identifiers.unquote(sql.substring(item[0], item[1]).trim()));
        }
        return names;
    }

    /** Moves past the target table; false if there is none, or it lies in an attached database (not the file's). */
    final boolean skipName() {
        if (pos >= tokens.size() || !tokens.get(pos).isName()) {
            return false;
        }
        String first = tokens.get(pos++).name(sql);
        if (isSymbol(pos, '.') && pos + 1 < tokens.size() && tokens.get(pos + 1).isName()) {
            pos += 2;
            return first.equalsIgnoreCase("main");
        }
        return true;
    }

    final String apply() {
        StringBuilder out = new StringBuilder(sql);
        edits.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end).reversed());
        for (Edit e : edits) {
            out.replace(e.start(), e.end(), e.text());
        }
        return out.toString();
    }
}
