package io.corrosion.gossip.wire;

import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.DecodeException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads primitives from one frame and rejects anything that does not fit it: no length or count is trusted
 * beyond the bytes that are left, so no allocation is larger than the frame.
 */
final class WireReader {

    private final byte[] buf;
    private int pos;

    WireReader(byte[] buf) {
        this.buf = buf;
    }

    int remaining() {
        return buf.length - pos;
    }

    int u8() throws DecodeException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    boolean bool() throws DecodeException {
        int v = u8();
        if (v > 1) {
            throw new DecodeException(Reason.MALFORMED, "boolean byte " + v);
        }
        return v == 1;
    }

    /** An unsigned varint that must fit a non-negative long. */
    long uvarint() throws DecodeException {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new DecodeException(Reason.MALFORMED, "overlong varint");
                }
                return result;
            }
        }
        throw new DecodeException(Reason.MALFORMED, "varint exceeds 63 bits");
    }

    int uvarintInt(String what) throws DecodeException {
        long v = uvarint();
        if (v > Integer.MAX_VALUE) {
            throw new DecodeException(Reason.MALFORMED, what + " " + v + " out of range");
        }
        return (int) v;
    }

    long fixed64() throws DecodeException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFFL);
        }
        return v;
    }

    SiteId siteId() throws DecodeException {
        return new SiteId(fixed64(), fixed64());
    }

    /** A count of elements each at least {@code minElementBytes} long: refused if the frame cannot hold them. */
    int count(String what, int minElementBytes) throws DecodeException {
        long n = uvarint();
        if (n > remaining() / minElementBytes) {
            throw new DecodeException(Reason.OVERSIZE_LENGTH,
                    what + " count " + n + " cannot fit the " + remaining() + " bytes left");
        }
        return (int) n;
    }

    byte[] bytes(String what) throws DecodeException {
        long n = uvarint();
        if (n > remaining()) {
            throw new DecodeException(Reason.OVERSIZE_LENGTH,
                    what + " length " + n + " exceeds the " + remaining() + " bytes left");
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos += out.length;
        return out;
    }

    String string(String what, int maxBytes) throws DecodeException {
        byte[] raw = bytes(what);
        if (raw.length > maxBytes) {
            throw new DecodeException(Reason.MALFORMED, what + " longer than " + maxBytes + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(Reason.MALFORMED, what + " is not UTF-8");
        }
    }

    NodeAddress address() throws DecodeException {
        String host = string("host", NodeAddress.MAX_HOST_BYTES);
        long port = uvarint();
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new DecodeException(Reason.MALFORMED, "bad address " + host + ":" + port);
        }
        return new NodeAddress(host, (int) port);
    }

    LongRange range(long minStart) throws DecodeException {
        long start = uvarint();
        long delta = uvarint();
        if (start < minStart || delta > Long.MAX_VALUE - start) {
            throw new DecodeException(Reason.MALFORMED, "bad range start " + start + " +" + delta);
        }
        return new LongRange(start, start + delta);
    }

    void expectEnd() throws DecodeException {
        if (remaining() != 0) {
            throw new DecodeException(Reason.TRAILING_BYTES, remaining() + " bytes after the message");
        }
    }

    private void need(int n) throws DecodeException {
        if (remaining() < n) {
            throw new DecodeException(Reason.TRUNCATED, "frame ends at byte " + buf.length);
        }
    }
}
