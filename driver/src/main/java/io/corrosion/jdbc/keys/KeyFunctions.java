package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import org.sqlite.Function;

/**
 * The SQL functions the rewritten statements call, registered on every physical connection. They run inside the
 * application's statement, on its connection.
 */
final class KeyFunctions {
    /** {@code __corrosion_key(target, value)}: {@code value}, or a new key of the {@link KeyTargets} target if NULL. */
    static final String KEY = "__corrosion_key";
    /**
     * {@code __corrosion_trigger_key(table, value)}: as {@link #KEY} for the key of the table so named, in the
     * INSERTs of trigger bodies, which the schema keeps beyond this file's open (no handles there).
     */
    static final String TRIGGER_KEY = "__corrosion_trigger_key";
    /** {@code __corrosion_generator_next(table, segment)}: the next value of a Hibernate id generator. */
    static final String GENERATOR_NEXT = "__corrosion_generator_next";
    /** {@code __corrosion_generator_accept(table, roles, values...)}: 1 if the generator UPDATE is accepted, else 0. */
    static final String GENERATOR_ACCEPT = "__corrosion_generator_accept";

    // sqlite3_value_type codes
    private static final int INTEGER = 1;
    private static final int FLOAT = 2;
    private static final int TEXT = 3;
    private static final int BLOB = 4;
    private static final int NULL = 5;

    private KeyFunctions() {}

    /** The key target of a table named in a trigger body; null if the driver gives that table no keys (any more). */
    @FunctionalInterface
    interface TableTargets {
        KeyTargets.KeyTarget of(ConnectionKeys keys, String table) throws SQLException;
    }

    static void register(ConnectionKeys keys, KeyTargets targets, TableTargets tableTargets, KeyAllocator allocator,
            GeneratorBlocks generators) throws SQLException {
        Function.create(keys.connection(), KEY, new Key(keys, allocator, generators) {
            @Override
            KeyTargets.KeyTarget target() throws SQLException {
                return targets.get(value_int(0));
            }
        }, 2, 0);
        Function.create(keys.connection(), TRIGGER_KEY, new Key(keys, allocator, generators) {
            @Override
            KeyTargets.KeyTarget target() throws SQLException {
                return tableTargets.of(keys, value_text(0));
            }
        }, 2, 0);
        Function.create(keys.connection(), GENERATOR_NEXT, new GeneratorNext(keys, generators), 2, 0);
        Function.create(keys.connection(), GENERATOR_ACCEPT, new GeneratorAccept(keys, generators), -1, 0);
    }

    /** {@code (target, value)}: the value, or a new key of the target if the value is NULL. */
    private abstract static class Key extends Function {
        private final ConnectionKeys keys;
        private final KeyAllocator allocator;
        private final GeneratorBlocks generators;

        Key(ConnectionKeys keys, KeyAllocator allocator, GeneratorBlocks generators) {
            this.keys = keys;
            this.allocator = allocator;
            this.generators = generators;
        }

        /** The target the first argument names; null if there is none to allocate in. */
        abstract KeyTargets.KeyTarget target() throws SQLException;

        @Override
        protected void xFunc() throws SQLException {
            int type = value_type(1);
            KeyTargets.KeyTarget target = target();
            if (type == NULL && target != null) {
                result(allocator.allocate(keys, target));
                return;
            }
            Long supplied = type == INTEGER ? Long.valueOf(value_long(1)) : storedAsInteger(type);
            if (supplied != null && target != null) {
                allocator.noteSupplied(keys, target, supplied);
            }
            generators.coverHandouts(keys); // the key may come from a Hibernate generator block
            switch (type) {
                case NULL -> result();
                case INTEGER -> result(value_long(1));
                case FLOAT -> result(value_double(1));
                case BLOB -> result(value_blob(1));
                default -> result(value_text(1));
            }
        }

        /**
         * The integer a rowid key column stores for a supplied REAL or TEXT value ({@code 1030.0}, {@code '1030'}):
         * SQLite converts both, so the allocator must know of it as of an INTEGER; null for any other value.
         */
        private Long storedAsInteger(int type) throws SQLException {
            if (type == FLOAT) {
                double d = value_double(1);
                return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? Long.valueOf((long) d) : null;
            }
            if (type == TEXT) {
                String text = value_text(1).trim();
                if (text.matches("[-+]?[0-9]{1,19}")) {
                    try {
                        return Long.valueOf(text);
                    } catch (NumberFormatException tooLarge) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    private static final class GeneratorNext extends Function {
        private final ConnectionKeys keys;
        private final GeneratorBlocks generators;

        GeneratorNext(ConnectionKeys keys, GeneratorBlocks generators) {
            this.keys = keys;
            this.generators = generators;
        }

        @Override
        protected void xFunc() throws SQLException {
            String segment = value_type(1) == NULL ? "" : value_text(1);
            result(generators.next(keys, value_text(0), segment));
        }
    }

    private static final class GeneratorAccept extends Function {
        private final ConnectionKeys keys;
        private final GeneratorBlocks generators;

        GeneratorAccept(ConnectionKeys keys, GeneratorBlocks generators) {
            this.keys = keys;
            this.generators = generators;
        }

        @Override
        protected void xFunc() throws SQLException {
            String[] roles = value_text(1).split(",");
            if (args() != roles.length + 2) {
                throw new SQLException(GENERATOR_ACCEPT + ": " + roles.length + " roles but " + (args() - 2)
                        + " values");
            }
            long newValue = 0;
            long oldValue = 0;
            String segment = "";
            for (int i = 0; i < roles.length; i++) {
                int arg = i + 2;
                switch (roles[i]) {
                    case "new" -> newValue = value_long(arg);
                    case "old" -> oldValue = value_long(arg);
                    default -> segment = value_type(arg) == NULL ? "" : value_text(arg);
                }
            }
            result(generators.accept(keys, value_text(0), segment, newValue, oldValue) ? 1 : 0);
        }
    }
}
