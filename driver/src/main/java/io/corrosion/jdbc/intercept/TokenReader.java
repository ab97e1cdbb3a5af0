package io.corrosion.jdbc.intercept;

import java.util.List;
import java.util.function.Predicate;

/** A cursor over the tokens of one statement, with the moves the token-level readers and rewrites share. */
class TokenReader {
    final String sql;
    final List<SqlToken> tokens;
    int pos;

    TokenReader(String sql) {
        this.sql = sql;
        this.tokens = SqlLexer.tokenize(sql);
    }

    /** Index of the first token from {@code from} on, outside parentheses, that matches; -1 if none. */
    static int topLevel(List<SqlToken> tokens, int from, Predicate<SqlToken> match) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && match.test(t)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the parenthesis that closes the one at {@code open}; -1 if none does. */
    static int matchingParen(List<SqlToken> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol('(')) {
                depth++;
            } else if (tokens.get(i).isSymbol(')') && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    final int topLevel(int from, Predicate<SqlToken> match) {
        return topLevel(tokens, from, match);
    }

    final int matchingParen(int open) {
        return matchingParen(tokens, open);
    }

    /** Moves past {@code word} if the cursor is on it. */
    final boolean take(String word) {
        if (pos < tokens.size() && tokens.get(pos).isWord(word)) {
            pos++;
            return true;
        }
        return false;
    }

    final boolean isSymbol(int i, char c) {
        return i < tokens.size() && tokens.get(i).isSymbol(c);
    }

    final boolean isName(int i) {
        return i < tokens.size() && tokens.get(i).isName();
    }
}
