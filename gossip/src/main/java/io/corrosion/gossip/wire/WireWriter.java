package io.corrosion.gossip.wire;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends primitives to a growable buffer: unsigned LEB128 varints, fixed 64-bit, length-prefixed bytes. */
final class WireWriter {

    private byte[] buf;
    private int size;

    WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void bool(boolean v) {
        u8(v ? 1 : 0);
    }

    /** Unsigned LEB128; callers only write non-negative values. */
    void uvarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void fixed64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[size + i] = (byte) v;
            v >>>= 8;
        }
        size += 8;
    }

    void siteId(SiteId id) {
        fixed64(id.hi());
        fixed64(id.lo());
    }

    void bytes(byte[] b) {
        uvarint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void string(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    void address(NodeAddress a) {
        string(a.host());
        uvarint(a.port());
    }

    /** A range as its start and its length minus one. */
    void range(LongRange r) {
        uvarint(r.start());
        uvarint(r.end() - r.start());
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** Encoded size of an unsigned varint. */
    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
