package io.corrosion.jdbc.intercept;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where the body of a {@code CREATE TRIGGER} begins and ends, on tokens. {@code BEGIN} and {@code END} are also valid
 * column names in SQLite ({@code UPDATE OF begin}, {@code WHEN new.end > new.begin}): the body's {@code BEGIN} is the
 * first one after {@code ON <table>} that does not follow a dot, and it ends at the first {@code END} outside a
 * {@code CASE} that does not follow a dot either and ends the statement.
 */
final class TriggerBody {
    private TriggerBody() {}

    /** A rewrite of one statement of a body, without its {@code ;}; empty to keep it as written. */
    @FunctionalInterface
    interface StatementRewrite {
        Optional<String> of(String statement) throws SQLException;
    }

    /**
     * The {@code CREATE TRIGGER} with each statement of its body rewritten by {@code rewrite}; {@code sql} as it is if
     * it has no body SQLite would accept (SQLite says why when it runs).
     */
    static String rewriteStatements(String sql, StatementRewrite rewrite) throws SQLException {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        int begin = begin(tokens, 0);
        int end = begin < 0 ? -1 : end(tokens, begin);
        if (end < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int first = begin + 1;
        for (int i = first; i <= end; i++) {
            if (i < end && !tokens.get(i).isSymbol(';')) {
                continue;
            }
            if (i > first) {
                int start = tokens.get(first).start();
                int stop = tokens.get(i - 1).end();
                Optional<String> rewritten = rewrite.of(sql.substring(start, stop));
                if (rewritten.isPresent()) {
                    out.append(sql, copied, start).append(rewritten.get());
                    copied = stop;
                }
            }
            first = i + 1;
        }
        return copied == 0 ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** Index of the body's {@code BEGIN} in the trigger starting at {@code first}; -1 if there is none. */
    static int begin(List<SqlToken> tokens, int first) {
        int on = TokenReader.topLevel(tokens, first, t -> t.isWord("ON"));
        for (int i = on < 0 ? tokens.size() : on + 1; i < tokens.size(); i++) {
            if (isKeyword(tokens, i, "BEGIN")) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the body's {@code END}, given its {@code BEGIN}; -1 if the body does not end. */
    static int end(List<SqlToken> tokens, int begin) {
        int caseDepth = 0;
        for (int i = begin + 1; i < tokens.size(); i++) {
            if (isKeyword(tokens, i, "CASE")) {
                caseDepth++;
            } else if (isKeyword(tokens, i, "END")) {
                if (caseDepth > 0) {
                    caseDepth--;
                } else if (i + 1 == tokens.size() || tokens.get(i + 1).isSymbol(';')) {
                    return i; // else a column named end ("SET end = ...")
                }
            }
        }
        return -1;
    }

    /** The word as a keyword: not a column named so after {@code new.}, {@code old.} or a table. */
    private static boolean isKeyword(List<SqlToken> tokens, int i, String word) {
        return tokens.get(i).isWord(word) && !(i > 0 && tokens.get(i - 1).isSymbol('.'));
    }
}
