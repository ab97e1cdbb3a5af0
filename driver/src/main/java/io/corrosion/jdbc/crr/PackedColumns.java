package io.corrosion.jdbc.crr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * cr-sqlite's packed-column encoding of primary keys ({@code crsql_pack_columns}).
 *
 * <pre>
 * byte 0        number of columns
 * per column    type byte = (nbytes &lt;&lt; 3) | type, type 1=INTEGER 2=REAL 3=TEXT 4=BLOB 5=NULL
 *   INTEGER     minimal big-endian byte count of the value (0..8), then those low bytes
 *   REAL        8-byte big-endian IEEE 754 double (nbytes bits 0)
 *   TEXT/BLOB   minimal byte count of the length, the length, then the bytes (UTF-8 for text)
 *   NULL        no payload
 * </pre>
 *
 * Values are Java {@code null}, {@link Long}, {@link Double}, {@link String} or {@code byte[]}.
 */
public final class PackedColumns {
    static final int INTEGER = 1;
    static final int REAL = 2;
    static final int TEXT = 3;
    static final int BLOB = 4;
    static final int NULL = 5;

    private PackedColumns() {}

    public static byte[] pack(Object... values) {
        return pack(Arrays.asList(values));
    }

    public static byte[] pack(List<?> values) {
        if (values.size() > 255) {
            throw new IllegalArgumentException("cannot pack more than 255 columns: " + values.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        out.write(values.size());
        for (Object raw : values) {
            Object v = SqlValues.normalize(raw);
            if (v == null) {
                out.write(NULL);
            } else if (v instanceof Long l) {
                int n = integerBytes(l);
                out.write((n << 3) | INTEGER);
                writeBigEndian(out, l, n);
            } else if (v instanceof Double d) {
                out.write(REAL);
                writeBigEndian(out, Double.doubleToRawLongBits(d), 8);
            } else if (v instanceof String s) {
                writeBytes(out, TEXT, s.getBytes(StandardCharsets.UTF_8));
            } else {
                writeBytes(out, BLOB, (byte[]) v);
            }
        }
        return out.toByteArray();
    }

    /** Decodes a packed key; throws {@link IllegalArgumentException} on malformed input. */
    public static List<Object> unpack(byte[] packed) {
        if (packed == null || packed.length == 0) {
            throw new IllegalArgumentException("packed primary key is empty");
        }
        ByteBuffer in = ByteBuffer.wrap(packed);
        int count = in.get() & 0xFF;
        List<Object> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!in.hasRemaining()) {
                throw malformed(packed, "ends after " + i + " of " + count + " columns");
            }
            int typeByte = in.get() & 0xFF;
            int type = typeByte & 0x07;
            int n = typeByte >>> 3;
            switch (type) {
                case INTEGER -> out.add(readBigEndian(in, n, packed));
                case REAL -> {
                    if (in.remaining() < 8) {
                        throw malformed(packed, "truncated REAL");
                    }
                    out.add(in.getDouble());
                }
                case TEXT -> out.add(new String(readLengthPrefixed(in, n, packed), StandardCharsets.UTF_8));
                case BLOB -> out.add(readLengthPrefixed(in, n, packed));
                case NULL -> out.add(null);
                default -> throw malformed(packed, "unknown type byte 0x" + Integer.toHexString(typeByte));
            }
        }
        return out;
    }

    /**
     * The value of a key of one INTEGER column if it is at least 1, read without allocating; 0 for any other key,
     * malformed ones too. What a merge checks against the keys the node generates, once per change.
     */
    public static long positiveIntegerKey(byte[] packed) {
        if (packed == null || packed.length < 2 || packed[0] != 1 || (packed[1] & 0x07) != INTEGER) {
            return 0;
        }
        int n = (packed[1] & 0xFF) >>> 3;
        if (n > 8 || packed.length != 2 + n) {
            return 0;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (packed[2 + i] & 0xFF);
        }
        return Math.max(v, 0);
    }

    /** Minimal byte count cr-sqlite uses for an INTEGER payload. */
    static int integerBytes(long v) {
        if ((v & 0xFF00000000000000L) != 0) {
            return 8;
        } else if ((v & 0x00FF000000000000L) != 0) {
            return 7;
        } else if ((v & 0x0000FF0000000000L) != 0) {
            return 6;
        } else if ((v & 0x000000FF00000000L) != 0) {
            return 5;
        }
        return lengthBytes((int) v);
    }

    private static int lengthBytes(int v) {
        if ((v & 0xFF000000) != 0) {
            return 4;
        } else if ((v & 0x00FF0000) != 0) {
            return 3;
        } else if ((v & 0x0000FF00) != 0) {
            return 2;
        } else if (v != 0) {
            return 1;
        }
        return 0;
    }

    private static void writeBytes(ByteArrayOutputStream out, int type, byte[] bytes) {
        int n = lengthBytes(bytes.length);
        out.write((n << 3) | type);
        writeBigEndian(out, bytes.length, n);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static long readBigEndian(ByteBuffer in, int n, byte[] packed) {
        if (n > 8 || in.remaining() < n) {
            throw malformed(packed, "truncated integer of " + n + " bytes");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (in.get() & 0xFF);
        }
        return v;
    }

    private static byte[] readLengthPrefixed(ByteBuffer in, int n, byte[] packed) {
        long len = readBigEndian(in, n, packed);
        if (len < 0 || len > in.remaining()) {
            throw malformed(packed, "length " + len + " exceeds the remaining " + in.remaining() + " bytes");
        }
        byte[] bytes = new byte[(int) len];
        in.get(bytes);
        return bytes;
    }

    private static IllegalArgumentException malformed(byte[] packed, String why) {
        return new IllegalArgumentException("malformed packed primary key " + SqlValues.hex(packed) + ": " + why);
    }
}
