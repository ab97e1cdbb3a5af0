package io.corrosion.jdbc.node;

import io.corrosion.jdbc.node.ProbeSchema.Col;
import io.corrosion.jdbc.node.ProbeSchema.Table;
import java.util.List;
import java.util.Random;

/** Literals and small expressions for the random SQL probe: few distinct values, so that collisions are frequent. */
final class ProbeValues {
    private final Random r;

    ProbeValues(Random r) {
        this.r = r;
    }

    Random rnd() {
        return r;
    }

    boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    <T> T one(List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    int upTo(int n) {
        return r.nextInt(n);
    }

    /** Any literal: small integers, NULL, text, real, blob. */
    String any() {
        return switch (r.nextInt(10)) {
            case 0 -> "NULL";
            case 1, 2 -> "'" + one(List.of("a", "b", "c", "3", "")) + "'";
            case 3 -> one(List.of("1.5", "2.0", "-0.5"));
            case 4 -> one(List.of("x'01'", "x'0102'", "x''"));
            default -> Integer.toString(r.nextInt(5) - 1);
        };
    }

    /** A literal of the column's type; with {@code exact} one a STRICT column always takes (NULL only if nullable). */
    String of(Col c, boolean exact) {
        if (!exact && chance(15)) {
            return any();
        }
        if (!c.notNull() && chance(12)) {
            return "NULL";
        }
        String t = c.type().toUpperCase();
        if (c.ref() && chance(75)) { // a key of the table it refers to, mostly
            return t.contains("INT") ? Integer.toString(r.nextInt(8)) : "'k" + r.nextInt(6) + "'";
        }
        if (t.contains("INT")) {
            return Integer.toString(r.nextInt(5));
        }
        if (t.contains("TEXT") || t.contains("CHAR")) {
            return "'" + one(List.of("a", "b", "c", "d", "A", "B")) + "'";
        }
        if (t.contains("REAL")) {
            return one(List.of("0.5", "1.5", "2.0", "3.25"));
        }
        if (t.contains("BLOB")) {
            return one(List.of("x'01'", "x'02'", "x'0a0b'"));
        }
        return exact && c.notNull() && t.equals("ANY") ? Integer.toString(r.nextInt(5)) : any().equals("NULL") && c.notNull() ? "0" : any();
    }

    /** A key value for a key column: never NULL (the node refuses NULL keys, and allocates integer ones itself). */
    String key(Table t, String col) {
        String type = t.col(col).type().toUpperCase();
        if (type.contains("INT")) {
            return Integer.toString(r.nextInt(8));
        }
        return "'k" + r.nextInt(6) + "'";
    }

    /** A value for a column of {@code t}: a key value for key columns. */
    String value(Table t, Col c, boolean exact) {
        return t.pk.contains(c.name()) ? key(t, c.name()) : of(c, exact || t.strict && chance(85));
    }

    /** A small deterministic expression over a column (no random(), no time). */
    String expr(String col) {
        return switch (r.nextInt(7)) {
            case 0 -> col + " + 1";
            case 1 -> "coalesce(" + col + ", " + any() + ")";
            case 2 -> col + " || 'x'";
            case 3 -> "abs(" + col + ")";
            case 4 -> "CASE WHEN " + col + " IS NULL THEN 1 ELSE NULL END";
            case 5 -> "length(" + col + ")";
            default -> any();
        };
    }

    /** A WHERE condition over a table's columns. */
    String where(Table t) {
        Col c = one(t.cols);
        return switch (r.nextInt(6)) {
            case 0 -> c.name() + " IS NULL";
            case 1 -> c.name() + " IS NOT NULL";
            case 2 -> c.name() + " > " + any();
            case 3 -> c.name() + " IN (" + any() + ", " + any() + ")";
            case 4 -> c.name() + " = " + value(t, c, false) + " OR " + where(t);
            default -> c.name() + " = " + value(t, c, false);
        };
    }
}
