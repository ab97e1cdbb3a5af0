package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes version log entries for {@link LocalJournal}. A table's many rows of one version ({@value #GROUP} or more,
 * e.g. a JDBC batch) go as ranges where the keys run in arithmetic progression (one entry for a batch of generated keys
 * instead of one per row, which cost about half as much as inserting the row itself), else as a flat array of keys read
 * from JSON; other rows (the common case: a few rows per small transaction, 256 transactions per flush) as {@value #ROWS}
 * rows of one multi-row VALUES statement, bound directly: a third of what the same rows cost read from JSON (every
 * {@code ->>} parses its element again) and under half a JDBC batch's (a JNI round trip per row). At most {@value
 * #CHUNK} rows per JSON statement. Statements come from the caller ({@link Statements}), which keeps them prepared
 * between flushes.
 */
final class LogWriter {
    /** Rows per VALUES statement; a last partial one is padded with its last row, which the conflict clause drops. */
    static final int ROWS = 64;
    private static final String INSERT_ROWS = valuesInsert(ROWS);
    private static final String INSERT_FLAT = "INSERT INTO " + CrrMetadata.LOG + " (site, db_version, tbl, key)"
            + " SELECT 0, ?1, ?2, %s FROM json_each(?3) AS j WHERE true ON CONFLICT DO NOTHING";
    private static final String INSERT_FLAT_PLAIN = INSERT_FLAT.formatted("j.value");
    private static final String INSERT_FLAT_BLOBS = INSERT_FLAT.formatted("unhex(j.value)");
    static final String INSERT_RANGE = "INSERT INTO " + CrrMetadata.LOG_RANGES + " (site, db_version, tbl, lo, hi,"
            + " step) VALUES (0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final int CHUNK = 4096;
    /** Integer keys in arithmetic progression go as a range from this many on. */
    static final int RUN = 32;
    /** A table's rows of one version go as a flat array from this many on. */
    static final int GROUP = 16;

    private final Statements statements;
    private final long[] versions = new long[ROWS];
    private final long[] tables = new long[ROWS];
    private final Object[] rowKeys = new Object[ROWS];
    private int pending;

    LogWriter(Statements statements) {
        this.statements = statements;
    }

    private static String valuesInsert(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + CrrMetadata.LOG + " (site, db_version, tbl, key) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "(0, ?, ?, ?)" : ", (0, ?, ?, ?)");
        }
        return sql.append(" ON CONFLICT DO NOTHING").toString();
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
        PreparedStatement ranges = statements.prepare(INSERT_RANGE);
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
                row(dbVersion, table, key);
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
                PreparedStatement p = statements.prepare(keys == plain ? INSERT_FLAT_PLAIN : INSERT_FLAT_BLOBS);
                p.setLong(1, dbVersion);
                p.setLong(2, table);
                p.setString(3, keys.append(']').toString());
                p.executeUpdate();
                keys.setLength(0);
                keys.append('[');
            }
        }
    }

    /** One row: any key SQLite stores (integer, real, text, blob). */
    void row(long dbVersion, long table, Object key) throws SQLException {
        versions[pending] = dbVersion;
        tables[pending] = table;
        rowKeys[pending] = key;
        if (++pending == ROWS) {
            insertRows();
        }
    }

    private void insertRows() throws SQLException {
        PreparedStatement p = statements.prepare(INSERT_ROWS);
        int last = pending - 1;
        for (int i = 0, param = 1; i < ROWS; i++) {
            int r = Math.min(i, last);
            p.setLong(param++, versions[r]);
            p.setLong(param++, tables[r]);
            p.setObject(param++, rowKeys[r]);
        }
        p.executeUpdate();
        Arrays.fill(rowKeys, null);
        pending = 0;
    }

    void finish() throws SQLException {
        if (pending > 0) {
            insertRows();
        }
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

    /** Writes journal entries' rows into the log: a table's many rows of one version as a group. */
    static void writeEntries(Statements statements, List<JournalEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        LogWriter out = new LogWriter(statements);
        for (JournalEntry e : batch) {
            for (Map.Entry<Long, List<Object>> table : e.rows.entrySet()) {
                List<Object> keys = table.getValue();
                if (keys.size() >= LogWriter.GROUP) {
                    out.group(e.dbVersion, table.getKey(), keys);
                } else {
                    for (Object key : keys) {
                        out.row(e.dbVersion, table.getKey(), key);
                    }
                }
            }
        }
        out.finish();
    }
}
