package io.corrosion.gossip;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A node's 16-byte site id. Opaque to gossip: the driver uses its SQLite site id ({@code crsql_site_id()}).
 * Held as two longs so it hashes and compares cheaply and deterministically.
 */
public record SiteId(long hi, long lo) implements Comparable<SiteId> {

    public static final int BYTES = 16;

    public static SiteId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a site id has 16 bytes, got " + bytes.length);
        }
        return new SiteId(readLong(bytes, 0), readLong(bytes, 8));
    }

    public static SiteId random(RandomGenerator random) {
        return new SiteId(random.nextLong(), random.nextLong());
    }

    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeLong(out, 0, hi);
        writeLong(out, 8, lo);
        return out;
    }

    @Override
    public int compareTo(SiteId other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The first 8 hex digits, for logs. */
    public String shortString() {
        return toString().substring(0, 8);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
