package io.corrosion.jdbc.crr;

import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for building SQL text. */
final class Sql {
    private Sql() {}

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String idents(List<String> names, String prefix) {
        return names.stream().map(n -> prefix + ident(n)).collect(Collectors.joining(", "));
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** {@code "a" = ? AND "b" = ?} */
    static String pkMatch(List<String> pkColumns, String prefix) {
        return pkColumns.stream().map(n -> prefix + ident(n) + " = ?").collect(Collectors.joining(" AND "));
    }

    /** Clock record column of a slot: slot 0 is the row sentinel ({@code cl, cl_db, ...}). Fields: v, db, site, seq, ts. */
    static String f(int slot, String field) {
        if (slot == 0) {
            return field.equals("v") ? "cl" : "cl_" + field;
        }
        return "c" + slot + "_" + field;
    }
}
