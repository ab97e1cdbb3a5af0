package io.corrosion.jdbc.crr;

import java.util.List;
import java.util.Map;

/** One committed local transaction in a {@link LocalJournal}: its db version and the rows it wrote, per table id. */
final class JournalEntry {
    final long dbVersion;
    final Map<Long, List<Object>> rows;
    final int rowCount;
    final long committedAt = System.nanoTime();

    JournalEntry(long dbVersion, Map<Long, List<Object>> rows) {
        this.dbVersion = dbVersion;
        this.rows = rows;
        int n = 0;
        for (List<Object> keys : rows.values()) {
            n += keys.size();
        }
        this.rowCount = n;
    }

    /**
     * Appends one row of an entry as JSON {@code [db_version, key]} (after a comma unless first): the key a JSON number
     * (integer), string (text), {@code {"b": hex}} (blob) or {@code {"p": hex}} (another value, packed).
     */
    static void appendJson(StringBuilder json, long dbVersion, Object key) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('[').append(dbVersion).append(',');
        if (key instanceof Long l) {
            json.append(l);
        } else if (key instanceof String s) {
            LogWriter.appendString(json, s);
        } else if (key instanceof byte[] b) {
            json.append("{\"b\":\"").append(SqlValues.hex(b)).append("\"}");
        } else {
            json.append("{\"p\":\"").append(SqlValues.hex(PackedColumns.pack(key))).append("\"}");
        }
        json.append(']');
    }
}
