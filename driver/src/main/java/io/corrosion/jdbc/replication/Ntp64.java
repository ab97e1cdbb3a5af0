package io.corrosion.jdbc.replication;

/** NTP64 timestamps (seconds since 1900 in the high 32 bits, the fraction in the low 32), as changesets carry them. */
final class Ntp64 {
    private static final long SECONDS_1900_TO_1970 = 2_208_988_800L;

    private Ntp64() {}

    static long now() {
        return fromMillis(System.currentTimeMillis());
    }

    static long fromMillis(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000) + SECONDS_1900_TO_1970;
        long fraction = (Math.floorMod(epochMillis, 1000L) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** Epoch milliseconds of an NTP64 timestamp, to the nearest; 0 for 0 (unknown). */
    static long toMillis(long ntp) {
        if (ntp == 0) {
            return 0;
        }
        long seconds = (ntp >>> 32) - SECONDS_1900_TO_1970;
        long millis = ((ntp & 0xFFFFFFFFL) * 1000 + (1L << 31)) >>> 32; // nearest: the fraction was rounded down
        return seconds * 1000 + millis;
    }
}
