package io.corrosion.jdbc.replication;

import io.corrosion.gossip.LongRange;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.replication.PayloadException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of a changeset: the changes of one chunk of a version, as gossip carries them (opaque bytes to it).
 * The site id and db version are the changeset's, so they are not repeated per change.
 *
 * <pre>
 * u8       format (1)
 * uvarint  n strings, then each: uvarint length, UTF-8 bytes     -- the dictionary: table names, cids, ts strings
 * uvarint  n changes, then each:
 *   uvarint table (dictionary index)    uvarint pk length, pk bytes (cr-sqlite's packed columns)
 *   uvarint cid (dictionary index)      value: u8 tag 0 NULL | 1 INTEGER zigzag uvarint | 2 REAL 8 bytes big-endian
 *                                              | 3 TEXT uvarint length, UTF-8 | 4 BLOB uvarint length, bytes
 *   uvarint col_version   uvarint cl   uvarint seq   uvarint ts (dictionary index)
 * </pre>
 *
 * Decoding is strict: every length and count is checked against the bytes left before anything is allocated, strings
 * must be valid UTF-8, indexes must exist, packed keys must parse, seqs must lie in the chunk's range and not go
 * down, and nothing may follow the last change. Anything else is a {@link PayloadException}, never another exception.
 */
public final class ChangesPayload {
    /** The format this node writes and reads. */
    public static final int FORMAT = 1;
    /** Longest dictionary string (table, column, timestamp) accepted. */
    static final int MAX_STRING_BYTES = 1 << 16;
    /** Fewest bytes a change takes: six one-byte varints, a one-byte key and a NULL tag. */
    private static final int MIN_CHANGE_BYTES = 8;
    /**
     * Largest col version, causal length and db version a node takes from a peer: far beyond any real count, and
     * low enough that the next local write's increment cannot overflow (SQLite would turn it into a REAL, and the
     * write would lose everywhere else: a silent divergence one bad change could cause).
     */
    static final long MAX_CLOCK = 1L << 62;

    private static final int NULL = 0;
    private static final int INTEGER = 1;
    private static final int REAL = 2;
    private static final int TEXT = 3;
    private static final int BLOB = 4;

    private ChangesPayload() {}

    /** Encodes changes (of one site and db version, by seq) in one payload. */
    public static byte[] encode(List<Change> changes) {
        Builder b = new Builder();
        changes.forEach(b::add);
        return b.build();
    }

    /**
     * Decodes a payload of site {@code siteId}'s version {@code dbVersion}, chunk {@code seqs}.
     *
     * @throws PayloadException if the bytes are not a valid payload of that chunk
     */
    public static List<Change> decode(byte[] payload, byte[] siteId, long dbVersion, LongRange seqs)
            throws PayloadException {
        if (dbVersion > MAX_CLOCK) {
            throw new PayloadException(Reason.MALFORMED, "db version " + dbVersion + " beyond 2^62");
        }
        Reader in = new Reader(payload);
        int format = in.u8();
        if (format != FORMAT) {
            throw new PayloadException(Reason.UNSUPPORTED_FORMAT, "format " + format + ", this node reads " + FORMAT);
        }
        int nStrings = in.count("strings", 1);
        String[] strings = new String[nStrings];
        for (int i = 0; i < nStrings; i++) {
            strings[i] = in.string(MAX_STRING_BYTES);
        }
        int nChanges = in.count("changes", MIN_CHANGE_BYTES);
        List<Change> out = new ArrayList<>(nChanges);
        long previousSeq = seqs.start();
        for (int i = 0; i < nChanges; i++) {
            String table = in.indexed(strings, "table");
            byte[] pk = in.bytes(Integer.MAX_VALUE);
            String cid = in.indexed(strings, "cid");
            Object val = in.value();
            long colVersion = in.uvarint();
            long cl = in.uvarint();
            long seq = in.uvarint();
            String ts = in.indexed(strings, "ts");
            if (table.isEmpty() || cid.isEmpty()) {
                throw new PayloadException(Reason.MALFORMED, "change " + i + " has an empty table or column name");
            }
            if (cl < 1 || cl > MAX_CLOCK || colVersion > MAX_CLOCK) {
                throw new PayloadException(Reason.MALFORMED, "change " + i + " has causal length " + cl
                        + " and col version " + colVersion + " (causal length from 1, both at most 2^62)");
            }
            if (seq < previousSeq || seq > seqs.end()) {
                throw new PayloadException(Reason.MALFORMED, "change " + i + " has seq " + seq + " outside chunk "
                        + seqs + " or below the previous change's " + previousSeq);
            }
            previousSeq = seq;
            try {
                PackedColumns.unpack(pk);
            } catch (IllegalArgumentException e) {
                throw new PayloadException(Reason.MALFORMED, "change " + i + ": " + e.getMessage());
            }
            out.add(new Change(table, pk, cid, val, colVersion, dbVersion, siteId, cl, seq, ts));
        }
        if (in.remaining() != 0) {
            throw new PayloadException(Reason.MALFORMED, in.remaining() + " bytes after the last change");
        }
        return out;
    }

    /** Accumulates the changes of one chunk, knowing its encoded size before each change is added. */
    static final class Builder {
        private final Map<String, Integer> dictionary = new HashMap<>();
        private final List<String> strings = new ArrayList<>();
        private final Writer dictionaryBytes = new Writer();
        private final Writer changeBytes = new Writer();
        private int changes;
        private long lastSeq = -1;
        /** The string indexed last: changes of a chunk mostly repeat their table, so its lookup is skipped. */
        private String lastString;
        private int lastIndex;

        int count() {
            return changes;
        }

        /** The seq of the last change added, -1 if none. */
        long lastSeq() {
            return lastSeq;
        }

        /** The encoded size now. */
        int size() {
            return 1 + Writer.uvarintSize(strings.size()) + dictionaryBytes.size() + Writer.uvarintSize(changes)
                    + changeBytes.size();
        }

        /** The encoded size if {@code c} were added. */
        int sizeWith(Change c) {
            int newStrings = 0;
            int newBytes = 0;
            for (String s : new String[] {c.table(), c.cid(), c.ts()}) {
                if (s != lastString && !dictionary.containsKey(s)) {
                    newStrings++;
                    newBytes += Writer.stringSize(s);
                }
            }
            return 1 + Writer.uvarintSize(strings.size() + newStrings) + dictionaryBytes.size() + newBytes
                    + Writer.uvarintSize(changes + 1) + changeBytes.size() + changeSize(c);
        }

        void add(Change c) {
            changeBytes.uvarint(index(c.table()));
            changeBytes.bytes(c.pk());
            changeBytes.uvarint(index(c.cid()));
            changeBytes.value(c.val());
            changeBytes.uvarint(c.colVersion());
            changeBytes.uvarint(c.cl());
            changeBytes.uvarint(c.seq());
            changeBytes.uvarint(index(c.ts()));
            changes++;
            lastSeq = c.seq();
        }

        byte[] build() {
            Writer out = new Writer();
            out.u8(FORMAT);
            out.uvarint(strings.size());
            out.raw(dictionaryBytes.toByteArray());
            out.uvarint(changes);
            out.raw(changeBytes.toByteArray());
            return out.toByteArray();
        }

        private int index(String s) {
            if (s == lastString) {
                return lastIndex;
            }
            Integer i = dictionary.get(s);
            if (i == null) {
                i = strings.size();
                dictionary.put(s, i);
                strings.add(s);
                dictionaryBytes.string(s);
            }
            lastString = s;
            lastIndex = i;
            return i;
        }

        private int changeSize(Change c) {
            int indexBytes = Writer.uvarintSize(dictionary.size() + 3) * 3;
            return indexBytes + Writer.uvarintSize(c.pk().length) + c.pk().length + Writer.valueSize(c.val())
                    + Writer.uvarintSize(c.colVersion()) + Writer.uvarintSize(c.cl()) + Writer.uvarintSize(c.seq());
        }
    }

    private static final class Writer extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void uvarint(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative value " + v + " in a change");
            }
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        /** A signed 64-bit value, zigzag-encoded as an unsigned varint of up to ten bytes. */
        void zigzag(long l) {
            long v = (l << 1) ^ (l >> 63);
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void raw(byte[] b) {
            write(b, 0, b.length);
        }

        void bytes(byte[] b) {
            uvarint(b.length);
            raw(b);
        }

        void string(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void value(Object v) {
            if (v == null) {
                u8(NULL);
            } else if (v instanceof Long l) {
                u8(INTEGER);
                zigzag(l);
            } else if (v instanceof Double d) {
                u8(REAL);
                long bits = Double.doubleToRawLongBits(d);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    write((int) (bits >>> shift));
                }
            } else if (v instanceof String s) {
                u8(TEXT);
                string(s);
            } else {
                u8(BLOB);
                bytes((byte[]) v);
            }
        }

        static int uvarintSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                n++;
                v >>>= 7;
            }
            return n;
        }

        static int stringSize(String s) {
            int n = utf8Length(s);
            return uvarintSize(n) + n;
        }

        static int valueSize(Object v) {
            if (v == null) {
                return 1;
            } else if (v instanceof Long l) {
                long z = (l << 1) ^ (l >> 63);
                return 1 + (z < 0 ? 10 : uvarintSize(z));
            } else if (v instanceof Double) {
                return 9;
            } else if (v instanceof String s) {
                return 1 + stringSize(s);
            }
            int n = ((byte[]) v).length;
            return 1 + uvarintSize(n) + n;
        }

        private static int utf8Length(String s) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n++;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    n += 3;
                }
            }
            return n;
        }
    }

    /** Reads one payload, trusting no length or count beyond the bytes left. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int remaining() {
            return buf.length - pos;
        }

        private void need(int n) throws PayloadException {
            if (n > remaining()) {
                throw new PayloadException(Reason.TRUNCATED, "needs " + n + " bytes at offset " + pos + ", "
                        + remaining() + " left");
            }
        }

        int u8() throws PayloadException {
            need(1);
            return buf[pos++] & 0xFF;
        }

        long uvarint() throws PayloadException {
            long result = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = u8();
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw new PayloadException(Reason.MALFORMED, "overlong varint at offset " + (pos - 1));
                    }
                    return result;
                }
            }
            throw new PayloadException(Reason.MALFORMED, "varint beyond 63 bits at offset " + pos);
        }

        /** An unsigned 64-bit varint (ten bytes at most, the last holding one bit). */
        long zigzag() throws PayloadException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                if (shift == 63 && b > 1) {
                    throw new PayloadException(Reason.MALFORMED, "integer varint beyond 64 bits at offset " + (pos - 1));
                }
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (b == 0 && shift > 0) {
                        throw new PayloadException(Reason.MALFORMED, "overlong varint at offset " + (pos - 1));
                    }
                    return result;
                }
            }
            throw new PayloadException(Reason.MALFORMED, "integer varint beyond 64 bits at offset " + pos);
        }

        int length(int max) throws PayloadException {
            long n = uvarint();
            if (n > max) {
                throw new PayloadException(Reason.MALFORMED, "length " + n + " over the limit of " + max);
            }
            need((int) n);
            return (int) n;
        }

        int count(String what, int minElementBytes) throws PayloadException {
            long n = uvarint();
            if (n > (long) remaining() / minElementBytes) {
                throw new PayloadException(Reason.MALFORMED, n + " " + what + " cannot fit " + remaining()
                        + " bytes");
            }
            return (int) n;
        }

        byte[] bytes(int max) throws PayloadException {
            int n = length(max);
            byte[] out = new byte[n];
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }

        String string(int max) throws PayloadException {
            int n = length(max);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, pos, n));
                pos += n;
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new PayloadException(Reason.MALFORMED, "string at offset " + pos + " is not UTF-8");
            }
        }

        String indexed(String[] strings, String what) throws PayloadException {
            long i = uvarint();
            if (i >= strings.length) {
                throw new PayloadException(Reason.MALFORMED, what + " index " + i + " beyond the " + strings.length
                        + " strings");
            }
            return strings[(int) i];
        }

        Object value() throws PayloadException {
            int tag = u8();
            return switch (tag) {
                case NULL -> null;
                case INTEGER -> {
                    long z = zigzag();
                    yield (z >>> 1) ^ -(z & 1);
                }
                case REAL -> {
                    need(8);
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (buf[pos++] & 0xFFL);
                    }
                    yield Double.longBitsToDouble(bits);
                }
                case TEXT -> string(Integer.MAX_VALUE);
                case BLOB -> bytes(Integer.MAX_VALUE);
                default -> throw new PayloadException(Reason.MALFORMED, "value tag " + tag + " at offset " + (pos - 1));
            };
        }
    }
}
