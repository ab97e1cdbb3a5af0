package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string of several statements at top-level semicolons, as SQLite's {@code sqlite3_exec} would run them.
 * Semicolons inside quotes, comments and a trigger body ({@code CREATE TRIGGER ... BEGIN ...; ...; END}) do not split.
 */
final class SqlSplitter {
    private SqlSplitter() {}

    /** The statements in order, each trimmed to its tokens; empty statements ({@code ;;}) are dropped. */
    static List<String> split(String sql) {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        List<String> statements = new ArrayList<>();
        int first = 0;
        while (first < tokens.size()) {
            int end = endOfStatement(tokens, first);
            if (end > first) {
                statements.add(sql.substring(tokens.get(first).start(), tokens.get(end - 1).end()));
            }
            first = end + 1;
        }
        return statements;
    }

    /** Index of the terminating semicolon (or tokens.size()) of the statement starting at {@code first}. */
    private static int endOfStatement(List<SqlToken> tokens, int first) {
        boolean trigger = isCreateTrigger(tokens, first);
        int blockDepth = 0;
        for (int i = first; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (trigger && (t.isWord("BEGIN") || t.isWord("CASE"))) {
                blockDepth++;
            } else if (trigger && t.isWord("END") && blockDepth > 0) {
                blockDepth--;
            } else if (t.isSymbol(';') && blockDepth == 0) {
                return i;
            }
        }
        return tokens.size();
    }

    private static boolean isCreateTrigger(List<SqlToken> tokens, int first) {
        if (!tokens.get(first).isWord("CREATE")) {
            return false;
        }
        for (int i = first + 1; i < Math.min(tokens.size(), first + 3); i++) {
            if (tokens.get(i).isWord("TRIGGER")) {
                return true;
            }
        }
        return false;
    }
}
