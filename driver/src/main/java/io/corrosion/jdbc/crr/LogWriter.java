package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConnection;

/**
 * Writes version log entries for {@link LocalJournal}. A JDBC batch costs several JNI calls per row, about as much as
 * the b-tree write, so rows go in statements that read them from JSON: a table's many rows of one version ({@value
 * #GROUP} or more, e.g. a JDBC batch) as ranges where the keys run in arithmetic progression (one entry for a batch of
 * generated keys instead of one per row, which cost about half as much as inserting the row itself), else as a flat
 * array of keys, other integer, text and blob keys as {@code [db_version,
 * tbl, key]} rows of one array; other keys (REAL) one by one. At most {@value #CHUNK} rows per statement.
 */
final class LogWriter implements AutoCloseable {
    private static final String INSERT_ROWS = "INSERT INTO " + CrrMetadata.LOG + " (site, db_version, tbl, key)"
            + " SELECT 0, j.value ->> 0, j.value ->> 1, CASE WHEN json_array_length(j.value) = 4 THEN unhex(j.value ->> 3)"
            + " ELSE j.value ->> 2 END FROM json_each(?) AS j WHERE true ON CONFLICT DO NOTHING";
    private static final String INSERT_FLAT = "INSERT INTO " + CrrMetadata.LOG + " (site, db_version, tbl, key)"
            + " SELECT 0, ?1, ?2, %s FROM json_each(?3) AS j WHERE true ON CONFLICT DO NOTHING";
    private static final String INSERT_RANGE = "INSERT INTO " + CrrMetadata.LOG_RANGES + " (site, db_version, tbl, lo, hi,"
            + " step) VALUES (0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final int CHUNK = 4096;
    /** Integer keys in arithmetic progression go as a range from this many on. */
    static final int RUN = 32;
    /** A table's rows of one version go as a flat array from this many on. */
    static final int GROUP = 16;

    private final SQLiteConnection c;
    /** Prepared on first use: a flush of a few small transactions needs only {@link #rows}. */
    private PreparedStatement rows;
    private PreparedStatement flat;
    private PreparedStatement flatBlobs;
    private PreparedStatement one;
    private PreparedStatement ranges;
    private final StringBuilder json = new StringBuilder("[");
    private int pending;
    private boolean singles;

    LogWriter(SQLiteConnection c) {
        this.c = c;
    }

    /**
     * Many keys of one table and version: runs of {@value #RUN} or more integer keys in arithmetic progression as
     * ranges ({@link CrrMetadata#LOG_RANGES}), the other integer and text keys, then blob keys, as flat arrays.
     */
    void group(long dbVersion, long table, List<Object> keys) throws SQLException {
        List<Object> rest = new ArrayList<>();
        int n = keys.size();
        int i = 0;
        while (i < n) {
            int end = runEnd(keys, i);
            if (end - i >= RUN) {
                range(dbVersion, table, (Long) keys.get(i), (Long) keys.get(end - 1), (Long) keys.get(i + 1) - (Long) keys.get(i));
                i = end;
            } else {
                // The run's last key may start the next run.
                int next = Math.max(i + 1, end - 1);
                rest.addAll(keys.subList(i, next));
                i = next;
            }
        }
        flatGroup(dbVersion, table, rest);
    }

    /** The end (exclusive) of the longest run of integer keys from {@code from} that grow by one positive step. */
    private static int runEnd(List<Object> keys, int from) {
        if (from + 1 >= keys.size() || !(keys.get(from) instanceof Long a) || !(keys.get(from + 1) instanceof Long b)
                || b <= a || b - a <= 0) {
            return from + 1;
        }
        long step = b - a;
        int end = from + 2;
        long last = b;
        while (end < keys.size() && keys.get(end) instanceof Long k && k > last && k - last == step) {
            last = k;
            end++;
        }
        return end;
    }

    private void range(long dbVersion, long table, long lo, long hi, long step) throws SQLException {
        if (ranges == null) {
            ranges = c.prepareStatement(INSERT_RANGE);
        }
        ranges.setLong(1, dbVersion);
        ranges.setLong(2, table);
        ranges.setLong(3, lo);
        ranges.setLong(4, hi);
        ranges.setLong(5, step);
        ranges.executeUpdate();
    }

    private void flatGroup(long dbVersion, long table, List<Object> keys) throws SQLException {
        StringBuilder plain = new StringBuilder("[");
        StringBuilder blobs = new StringBuilder("[");
        int n = 0;
        for (Object key : keys) {
            if (key instanceof Long l) {
                plain.append(plain.length() > 1 ? "," : "").append((long) l);
            } else if (key instanceof String str && str.indexOf('\0') < 0) {
                if (plain.length() > 1) {
                    plain.append(',');
                }
                appendString(plain, str);
            } else if (key instanceof byte[] b) {
                blobs.append(blobs.length() > 1 ? ",\"" : "\"").append(SqlValues.hex(b)).append('"');
            } else {
                single(dbVersion, table, key);
                continue;
            }
            if (++n == CHUNK) {
                insertFlat(dbVersion, table, plain, blobs);
                n = 0;
            }
        }
        insertFlat(dbVersion, table, plain, blobs);
    }

    private void insertFlat(long dbVersion, long table, StringBuilder plain, StringBuilder blobs) throws SQLException {
        for (StringBuilder keys : List.of(plain, blobs)) {
            if (keys.length() > 1) {
                if (keys == plain && flat == null) {
                    flat = c.prepareStatement(INSERT_FLAT.formatted("j.value"));
                } else if (keys == blobs && flatBlobs == null) {
                    flatBlobs = c.prepareStatement(INSERT_FLAT.formatted("unhex(j.value)"));
                }
                PreparedStatement p = keys == plain ? flat : flatBlobs;
                p.setLong(1, dbVersion);
                p.setLong(2, table);
                p.setString(3, keys.append(']').toString());
                p.executeUpdate();
                keys.setLength(0);
                keys.append('[');
            }
        }
    }

    void row(long dbVersion, long table, Object key) throws SQLException {
        if (!appendLogRow(json, dbVersion, table, key)) {
            single(dbVersion, table, key);
        } else if (++pending == CHUNK) {
            insertRows();
        }
    }

    private void single(long dbVersion, long table, Object key) throws SQLException {
        if (one == null) {
            one = c.prepareStatement(LocalJournal.LOG_INSERT);
        }
        one.setLong(1, dbVersion);
        one.setLong(2, table);
        one.setObject(3, key);
        one.addBatch();
        singles = true;
    }

    private void insertRows() throws SQLException {
        if (rows == null) {
            rows = c.prepareStatement(INSERT_ROWS);
        }
        rows.setString(1, json.append(']').toString());
        rows.executeUpdate();
        json.setLength(0);
        json.append('[');
        pending = 0;
    }

    void finish() throws SQLException {
        if (pending > 0) {
            insertRows();
        }
        if (singles) {
            one.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement p : new PreparedStatement[] {rows, flat, flatBlobs, one, ranges}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** {@code [db_version, tbl, key]}, or {@code [db_version, tbl, null, "hex"]} for a blob key; false if not JSON-able. */
    private static boolean appendLogRow(StringBuilder json, long dbVersion, long table, Object key) {
        String hex = null;
        if (key instanceof String str) {
            if (str.indexOf('\0') >= 0) {
                return false;
            }
        } else if (key instanceof byte[] b) {
            hex = SqlValues.hex(b);
        } else if (!(key instanceof Long)) {
            return false;
        }
        json.append(json.length() > 1 ? ",[" : "[").append(dbVersion).append(',').append(table).append(',');
        if (hex != null) {
            json.append("null,\"").append(hex).append('"');
        } else if (key instanceof String str) {
            appendString(json, str);
        } else {
            json.append((long) (Long) key);
        }
        json.append(']');
        return true;
    }

    static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        json.append('"');
    }
}
