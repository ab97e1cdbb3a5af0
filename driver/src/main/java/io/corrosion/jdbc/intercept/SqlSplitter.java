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
        int from = first;
        if (isCreateTrigger(tokens, first)) {
            int begin = TriggerBody.begin(tokens, first);
            int end = begin < 0 ? -1 : TriggerBody.end(tokens, begin);
            if (end < 0) {
                return tokens.size(); // no body that ends: SQLite refuses the rest as one statement
            }
            from = end;
        }
        for (int i = from; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(';')) {
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
