package io.corrosion.jdbc.crr;

import java.util.Arrays;

/**
 * One clock record in memory: the row sentinel (slot 0) and one clock per column slot, as cr-sqlite would hold
 * them in its clock rows for this key. {@link #stored} tells whether the record row exists (cr-sqlite: whether
 * the key has a pks lookaside row).
 */
final class ClockRecord {
    /** One clock: col_version (the causal length for the sentinel), db_version, site ordinal, seq, ts. */
    static final class Clock {
        long version;
        long dbVersion;
        long site;
        long seq;
        String ts;

        Clock(long version, long dbVersion, long site, long seq, String ts) {
            this.version = version;
            this.dbVersion = dbVersion;
            this.site = site;
            this.seq = seq;
            this.ts = ts;
        }
    }

    final Object key;
    boolean stored;
    /** Read from a range ({@link ClockRanges}): no row in the clock table yet; storing it cuts the key out of the range. */
    boolean virtual;
    final Clock[] slots;

    ClockRecord(Object key, int maxSlot) {
        this.key = key;
        this.slots = new Clock[maxSlot + 1];
    }

    Clock sentinel() {
        return slots[0];
    }

    boolean hasColumnClocks() {
        for (int i = 1; i < slots.length; i++) {
            if (slots[i] != null) {
                return true;
            }
        }
        return false;
    }

    /** cr-sqlite's local causal length: the sentinel's, else 1 if any clock exists, else 0 (never seen). */
    long causalLength() {
        if (slots[0] != null) {
            return slots[0].version;
        }
        return hasColumnClocks() ? 1 : 0;
    }


    void dropColumnClocks() {
        Arrays.fill(slots, 1, slots.length, null);
    }
}
