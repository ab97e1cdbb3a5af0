package io.corrosion.jdbc;

import java.util.Locale;

/**
 * The one naming rule for the driver's own tables, shared by metadata hiding, the interceptor and the CRR engine.
 *
 * <p>A table is internal when its name starts with {@code crsql_} (cr-sqlite's relations such as
 * {@code crsql_changes}, {@code crsql_site_id}), contains {@code __crsql_} (per-table clock and pk tables such as
 * {@code person__crsql_clock}), or starts with {@code __corrosion_} (the driver's own bookkeeping). SQLite's automatic
 * indexes of such tables ({@code sqlite_autoindex_<table>_<n>}) count as internal too. Matching ignores case, as
 * SQLite does for identifiers.
 */
public final class InternalTables {
    /** Prefix of cr-sqlite's relations and functions. */
    public static final String CRSQL_PREFIX = "crsql_";
    /** cr-sqlite's relation of changes, to read and merge. */
    public static final String CHANGES = "crsql_changes";
    /** Infix of per-table companion tables: {@code <table>__crsql_clock}, {@code <table>__crsql_pks}. */
    public static final String CRSQL_INFIX = "__crsql_";
    /** Prefix of the driver's own bookkeeping tables. */
    public static final String CORROSION_PREFIX = "__corrosion_";

    private static final String SQLITE_AUTOINDEX_PREFIX = "sqlite_autoindex_";

    private InternalTables() {}

    /** True if a table of this name belongs to the driver or the CRR engine and must be hidden and never replicated. */
    public static boolean isInternal(String tableName) {
        if (tableName == null) {
            return false;
        }
        String name = tableName.toLowerCase(Locale.ROOT);
        if (name.startsWith(SQLITE_AUTOINDEX_PREFIX)) {
            name = name.substring(SQLITE_AUTOINDEX_PREFIX.length()); // sqlite_autoindex_<table>_<n>
        }
        return name.startsWith(CRSQL_PREFIX) || name.contains(CRSQL_INFIX) || name.startsWith(CORROSION_PREFIX);
    }

    /** The clock table cr-sqlite keeps beside a CRR: {@code <table>__crsql_clock}. */
    public static String clockTable(String table) {
        return table + CRSQL_INFIX + "clock";
    }

    /**
     * True if the SQL text could name an internal table or a {@code crsql_*} function. A cheap substring test meant
     * for classifying statements once; false positives (a string literal containing "crsql_") are harmless.
     */
    public static boolean mentionedIn(String sql) {
        return containsIgnoreCase(sql, CRSQL_PREFIX) || containsIgnoreCase(sql, CORROSION_PREFIX);
    }

    /** True if the SQL text could name {@code crsql_changes} (a cheap substring test, as {@link #mentionedIn}). */
    public static boolean changesMentionedIn(String sql) {
        return containsIgnoreCase(sql, CHANGES);
    }

    private static boolean containsIgnoreCase(String text, String lowerCaseNeedle) {
        int last = text.length() - lowerCaseNeedle.length();
        for (int i = 0; i <= last; i++) {
            if (text.regionMatches(true, i, lowerCaseNeedle, 0, lowerCaseNeedle.length())) {
                return true;
            }
        }
        return false;
    }
}
