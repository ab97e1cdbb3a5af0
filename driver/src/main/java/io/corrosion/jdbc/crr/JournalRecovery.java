package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import org.sqlite.SQLiteConnection;

/**
 * After an unclean stop, the version log entries a {@link LocalJournal} may not have flushed: every clock field of this
 * site newer than the flushed watermark gets its {@code __corrosion_log} entry back (a scan of the clock tables), and
 * every such clock range ({@link ClockRanges}) its {@code __corrosion_log_range} entry.
 */
final class JournalRecovery {
    /** What {@link #relog} wrote: how many entries, and the highest db version among them (or the watermark). */
    record Found(long entries, long highest) {}

    private JournalRecovery() {}

    /** Writes the entries of local clock fields above {@code flushed}, in the caller's transaction on {@code c}. */
    static Found relog(SQLiteConnection c, Collection<TableInfo> tables, long flushed) throws SQLException {
        long found = 0;
        long max = flushed;
        try (PreparedStatement log = c.prepareStatement(LocalJournal.LOG_INSERT)) {
            for (TableInfo t : tables) {
                StringBuilder select = new StringBuilder("SELECT key");
                StringBuilder where = new StringBuilder();
                for (int s = 0; s <= t.maxSlot(); s++) {
                    select.append(", ").append(Sql.f(s, "db")).append(", ").append(Sql.f(s, "site"));
                    where.append(s == 0 ? "" : " OR ").append("(").append(Sql.f(s, "site")).append(" = 0 AND ")
                            .append(Sql.f(s, "db")).append(" > ").append(flushed).append(")");
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        select + " FROM " + Sql.ident(t.clockTable()) + " WHERE " + where)) {
                    while (rs.next()) {
                        Object key = SqlValues.normalize(rs.getObject(1));
                        for (int s = 0; s <= t.maxSlot(); s++) {
                            long db = rs.getLong(2 + 2 * s);
                            boolean present = !rs.wasNull();
                            long site = rs.getLong(3 + 2 * s);
                            if (present && !rs.wasNull() && site == 0 && db > flushed) {
                                log.setLong(1, db);
                                log.setLong(2, t.id());
                                log.setObject(3, key);
                                log.addBatch();
                                found++;
                                max = Math.max(max, db);
                            }
                        }
                    }
                }
            }
            if (found > 0) {
                log.executeBatch();
            }
        }
        // Records clock ranges stand for ({@link ClockRanges}): one log range each.
        try (PreparedStatement ranges = c.prepareStatement("SELECT tbl, lo, hi, step, db FROM " + ClockRanges.TABLE
                + " WHERE db > ?"); PreparedStatement log = c.prepareStatement(LogWriter.INSERT_RANGE)) {
            ranges.setLong(1, flushed);
            try (ResultSet rs = ranges.executeQuery()) {
                while (rs.next()) {
                    log.setLong(1, rs.getLong(5));
                    log.setLong(2, rs.getLong(1));
                    log.setLong(3, rs.getLong(2));
                    log.setLong(4, rs.getLong(3));
                    log.setLong(5, rs.getLong(4));
                    log.executeUpdate();
                    found++;
                    max = Math.max(max, rs.getLong(5));
                }
            }
        }
        return new Found(found, max);
    }
}
