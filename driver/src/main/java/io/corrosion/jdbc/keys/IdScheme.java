package io.corrosion.jdbc.keys;

import java.util.Locale;

/**
 * The layout of generated keys: {@code id = counter × 1024 + slot + 1}. Ids of different slots never meet, so nodes
 * with different slots never generate the same key; the {@code + 1} makes the first id of slot 0 be 1, not 0.
 */
final class IdScheme {
    /** How many node slots there are: at most this many nodes generate keys at once without colliding. */
    static final int SLOTS = 1024;
    /** The largest key of a column the application reads as a Java {@code int}. */
    static final long MAX_INT32_ID = Integer.MAX_VALUE;
    /** The largest key SQLite can store. */
    static final long MAX_INT64_ID = Long.MAX_VALUE;

    private IdScheme() {}

    /** The key of {@code counter} in {@code slot}. */
    static long id(long counter, int slot) {
        return counter * SLOTS + slot + 1;
    }

    /** The slot a key belongs to; keys below 1 belong to none (-1). */
    static int slotOf(long id) {
        return id < 1 ? -1 : (int) ((id - 1) % SLOTS);
    }

    /** The counter of a key (of any slot). */
    static long counterOf(long id) {
        return (id - 1) / SLOTS;
    }

    /** The largest counter whose key in {@code slot} stays at or below {@code maxId}. */
    static long maxCounter(int slot, long maxId) {
        return (maxId - 1 - slot) / SLOTS;
    }

    /**
     * True for a declared key type the application most likely reads as a 32-bit Java {@code int}: {@code INT},
     * {@code INT4}, {@code MEDIUMINT}, {@code SMALLINT}, ... (jOOQ declares Integer keys {@code int}). Not
     * {@code INTEGER}: that is SQLite's 64-bit rowid type, and Hibernate declares it for Long ids as well as Integer
     * ones; a 32-bit read of a larger key fails loudly in the driver's ResultSet instead. {@code BIGINT}, {@code INT8}
     * and untyped keys are 64-bit.
     */
    static boolean is32Bit(String declaredType) {
        String t = declaredType.trim().toUpperCase(Locale.ROOT);
        return t.contains("INT") && !t.equals("INTEGER") && !t.contains("BIG") && !t.contains("INT8")
                && !t.contains("LONG") && !t.contains("HUGE");
    }
}
