package io.corrosion.jdbc.crr;

import java.util.List;
import java.util.Optional;

/**
 * What the engine knows about one CRR: its log id, how rows are keyed in its clock table and which clock slot
 * holds each non-primary-key column.
 *
 * @param maxSlot highest slot the clock table has columns for (dropped columns keep their slot)
 */
record TableInfo(String name, long id, KeyKind keyKind, List<String> pkColumns, List<Column> columns, int maxSlot) {

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
