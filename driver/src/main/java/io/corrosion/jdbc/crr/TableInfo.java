package io.corrosion.jdbc.crr;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine knows about one CRR: its log id, how rows are keyed in its clock table and which clock slot
 * holds each non-primary-key column.
 *
 * @param maxSlot highest slot the clock table has columns for (dropped columns keep their slot)
 * @param fills   NOT NULL columns without a DEFAULT, with the SQL literal a merge writes into them when it creates a
 *                row before their own change arrives (cr-sqlite relies on a DEFAULT there)
 * @param standIns every non-key column a merge may write, with the SQL literal a row it creates gets there when the
 *                table refuses the column's default (a STRICT column's default of another type, or a generated column's
 *                value computed from it): NULL, or the fill of a NOT NULL column
 * @param ranged  whether its capture triggers look clock ranges up ({@link ClockRanges}): only then may it have any
 */
record TableInfo(String name, long id, KeyKind keyKind, List<String> pkColumns, List<Column> columns, int maxSlot,
                 Map<String, String> fills, Map<String, String> standIns, boolean ranged) {

    /** How a user row maps to its clock record key. */
    enum KeyKind {
        /** Single {@code INTEGER PRIMARY KEY} aliasing the rowid: the key is the integer itself. */
        ROWID,
        /** Any other single-column primary key: the key is the value itself, untyped. */
        VALUE,
        /** Composite primary key: the key is the packed pk blob. */
        PACKED
    }

    /** A non-primary-key column and the clock slot that holds its clock. */
    record Column(String name, int slot) {}

    TableInfo {
        pkColumns = List.copyOf(pkColumns);
        columns = List.copyOf(columns);
        fills = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fills));
        standIns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(standIns));
    }

    /**
     * The value a merge writes into a NOT NULL column without a DEFAULT until the column's own change arrives: the
     * zero of the column's type affinity (SQLite's rules: INT, then CHAR/CLOB/TEXT, then BLOB or no type, then
     * REAL/FLOA/DOUB, else NUMERIC).
     */
    static String fillLiteral(String declaredType) {
        String t = declaredType == null ? "" : declaredType.toUpperCase(java.util.Locale.ROOT);
        if (t.contains("INT")) {
            return "0";
        } else if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return "''";
        } else if (t.isEmpty() || t.contains("BLOB")) {
            return "x''";
        } else if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return "0.0";
        }
        return "0";
    }

    /** The same table with capture triggers that look clock ranges up, or not. */
    TableInfo withRanged(boolean on) {
        return new TableInfo(name, id, keyKind, pkColumns, columns, maxSlot, fills, standIns, on);
    }

    String clockTable() {
        return name + "__crsql_clock";
    }

    Optional<Column> column(String cid) {
        for (Column c : columns) {
            if (c.name().equals(cid)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }


    /** The clock key for a packed primary key, as the capture triggers would store it. */
    Object keyOf(byte[] packedPk) {
        List<Object> values = PackedColumns.unpack(packedPk);
        if (values.size() != pkColumns.size()) {
            throw new IllegalArgumentException("primary key of " + name + " has " + pkColumns.size()
                    + " column(s), the packed key " + SqlValues.hex(packedPk) + " has " + values.size());
        }
        return switch (keyKind) {
            case ROWID -> {
                if (!(values.get(0) instanceof Long)) {
                    throw new IllegalArgumentException("primary key of " + name + " is an INTEGER rowid, got "
                            + SqlValues.show(values.get(0)));
                }
                yield values.get(0);
            }
            case VALUE -> values.get(0);
            case PACKED -> PackedColumns.pack(values);
        };
    }


    /** The primary key values for a clock key. */
    List<Object> pkValuesOf(Object key) {
        return keyKind == KeyKind.PACKED ? PackedColumns.unpack((byte[]) key) : java.util.Collections.singletonList(key);
    }
}
