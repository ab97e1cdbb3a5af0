package io.corrosion.jdbc.intercept;

import java.util.Locale;

/**
 * One lexical token of SQLite SQL. {@code text} is the identifier without its quotes for quoted identifiers, the
 * upper-cased word for bare words, and the raw text otherwise.
 */
record SqlToken(Type type, String text, int start, int end) {

    enum Type {
        /** A bare word: keyword or unquoted identifier; {@code text} is upper case. */
        WORD,
        /** "x", `x` or [x]; {@code text} is the identifier without quotes. */
        QUOTED_IDENTIFIER,
        /** 'x' or X'..'. */
        STRING,
        NUMBER,
        /** ?, ?1, :name, @name, $name. */
        PARAMETER,
        /** Any other single character: ( ) , ; . = * and so on. */
        SYMBOL
    }

    boolean isWord(String upperCaseWord) {
        return type == Type.WORD && text.equals(upperCaseWord);
    }

    boolean isSymbol(char c) {
        return type == Type.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    boolean isName() {
        return type == Type.WORD || type == Type.QUOTED_IDENTIFIER || type == Type.STRING;
    }

    /** The identifier as SQLite resolves it: quotes removed; bare words keep their spelling from {@code sql}. */
    String name(String sql) {
        if (type == Type.WORD) {
            return sql.substring(start, end);
        }
        if (type == Type.STRING) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        return text;
    }

    static SqlToken word(String sql, int start, int end) {
        return new SqlToken(Type.WORD, sql.substring(start, end).toUpperCase(Locale.ROOT), start, end);
    }
}
