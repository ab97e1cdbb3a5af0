package io.corrosion.jdbc.intercept;

/** SQLite identifier quoting: "x", `x`, [x]; and names as string literals. */
public final class Identifiers {
    private Identifiers() {}

    /** The identifier without its quotes; bare identifiers come back unchanged. */
    public static String unquote(String identifier) {
        int n = identifier.length();
        if (n >= 2) {
            char first = identifier.charAt(0);
            char last = identifier.charAt(n - 1);
            if ((first == '"' && last == '"') || (first == '`' && last == '`')) {
                String quote = String.valueOf(first);
                return identifier.substring(1, n - 1).replace(quote + quote, quote);
            }
            if (first == '[' && last == ']') {
                return identifier.substring(1, n - 1);
            }
        }
        return identifier;
    }

    /** The identifier in double quotes, safe to splice into SQL. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The text as an SQL string literal: how a rewrite passes a name to a function. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
