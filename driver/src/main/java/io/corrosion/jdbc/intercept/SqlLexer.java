package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQLite SQL into tokens, skipping whitespace and comments. Never fails: unterminated quotes or comments run
 * to the end of the text, as they would in SQLite's own tokenizer before it reports the error.
 */
final class SqlLexer {
    private final String sql;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    static List<SqlToken> tokenize(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        List<SqlToken> tokens = new ArrayList<>();
        for (SqlToken t = lexer.next(); t != null; t = lexer.next()) {
            tokens.add(t);
        }
        return tokens;
    }

    private SqlToken next() {
        skipSpaceAndComments();
        if (pos >= sql.length()) {
            return null;
        }
        int start = pos;
        char c = sql.charAt(pos);
        if (c == '\'') {
            pos = closing(pos + 1, '\'');
            return new SqlToken(SqlToken.Type.STRING, sql.substring(start, pos), start, pos);
        }
        if ((c == 'x' || c == 'X') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos = closing(pos + 2, '\'');
            return new SqlToken(SqlToken.Type.STRING, sql.substring(start, pos), start, pos);
        }
        if (c == '"' || c == '`' || c == '[') {
            char close = c == '[' ? ']' : c;
            pos = closing(pos + 1, close);
            String inner = sql.substring(start + 1, Math.max(start + 1, pos - 1));
            if (close != ']') {
                inner = inner.replace(String.valueOf(close) + close, String.valueOf(close));
            }
            return new SqlToken(SqlToken.Type.QUOTED_IDENTIFIER, inner, start, pos);
        }
        if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1)))) {
            pos++;
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return new SqlToken(SqlToken.Type.NUMBER, sql.substring(start, pos), start, pos);
        }
        if (c == '?' || c == ':' || c == '@' || c == '$') {
            pos++;
            while (pos < sql.length() && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            return new SqlToken(SqlToken.Type.PARAMETER, sql.substring(start, pos), start, pos);
        }
        if (isWordChar(c)) {
            while (pos < sql.length() && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            return SqlToken.word(sql, start, pos);
        }
        pos++;
        return new SqlToken(SqlToken.Type.SYMBOL, String.valueOf(c), start, pos);
    }

    /** Position after the closing quote; a doubled quote inside is an escaped quote. */
    private int closing(int from, char close) {
        int i = from;
        while (i < sql.length()) {
            if (sql.charAt(i) == close) {
                if (close != ']' && i + 1 < sql.length() && sql.charAt(i + 1) == close) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && sql.startsWith("--", pos)) {
                int eol = sql.indexOf('\n', pos);
                pos = eol < 0 ? sql.length() : eol + 1;
            } else if (c == '/' && sql.startsWith("/*", pos)) {
                int end = sql.indexOf("*/", pos + 2);
                pos = end < 0 ? sql.length() : end + 2;
            } else {
                return;
            }
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c > 127;
    }
}
