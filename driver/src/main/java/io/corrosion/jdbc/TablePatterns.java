package io.corrosion.jdbc;

import java.util.Locale;
import java.util.Set;

/**
 * Table name patterns as the {@code local-tables} and {@code int64-keys} properties write them: a plain name, or a
 * glob where {@code *} matches any run of characters and {@code ?} exactly one. Matching ignores case, as SQLite does
 * for identifiers. A pattern may hold any character but a comma (the list separator); there is no escape.
 */
public final class TablePatterns {
    private TablePatterns() {}

    /** {@code pattern} if it is usable; {@link IllegalArgumentException} otherwise. */
    static String check(String pattern) {
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("empty table pattern");
        }
        return pattern;
    }

    /** True if {@code table} matches any of {@code lowerCasePatterns}. */
    public static boolean anyMatches(Set<String> lowerCasePatterns, String table) {
        if (lowerCasePatterns.isEmpty() || table == null) {
            return false;
        }
        String name = table.toLowerCase(Locale.ROOT);
        if (lowerCasePatterns.contains(name)) {
            return true;
        }
        for (String pattern : lowerCasePatterns) {
            if (matches(pattern, name)) {
                return true;
            }
        }
        return false;
    }

    /** Glob match of {@code name} against {@code pattern}; both already lower-cased. */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int starAt = -1;
        int starMatchedUpTo = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                starMatchedUpTo = n;
            } else if (starAt >= 0) {
                p = starAt + 1; // let the last star swallow one more character
                n = ++starMatchedUpTo;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
