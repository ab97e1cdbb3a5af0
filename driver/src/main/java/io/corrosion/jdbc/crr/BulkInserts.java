package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Captures a JDBC batch of plain INSERTs of fresh keys into a CRR at once: the insert trigger skips the batch's rows
 * (a row in {@code __corrosion_bulk} for the table, read by the trigger's WHEN: no call into Java per row, which is
 * most of what row-by-row capture costs), then one statement writes every row's clock record exactly as the trigger
 * would have (each column at col version 1, the transaction's db version, {@code n} seqs per row in row order, the
 * HLC timestamp) and the rows go to the version log through the journal as usual.
 *
 * <p>Only where that is exactly what the trigger would write: an integer key the clock table has never seen, a table
 * with no triggers but the capture triggers (no UNIQUE checks, no application triggers that could write the table or
 * see its clock mid-batch), in an open transaction. A batch that fails part-way keeps its earlier rows, as sqlite-jdbc
 * does, and they are captured. Everything runs inside a savepoint: if the engine's own statements fail, the batch's
 * rows go with them. Batches of {@value #UNTRIGGERED} rows or more drop the insert trigger for the batch instead.
 */
final class BulkInserts {
    private static final String SAVEPOINT = "corrosion_bulk";
    /**
     * Batches of this many rows run with the insert trigger dropped rather than skipped (see dropInsertTrigger): about
     * where a microsecond saved per row pays for the schema reloads (estimated, not measured).
     */
    static final int UNTRIGGERED = 4096;

    private final CrrSession session;

    BulkInserts(CrrSession session) {
        this.session = session;
    }

    int[] run(TableInfo t, List<Object> keys, CrrSession.Work<int[]> batch) throws SQLException {
        String json = keysJson(keys);
        if (json == null || !eligible(t, keys, json)) {
            return batch.run();
        }
        exec("SAVEPOINT " + SAVEPOINT);
        SQLException batchFailure = null;
        int[] counts = null;
        try {
            String trigger = keys.size() >= UNTRIGGERED ? dropInsertTrigger(t) : null;
            if (trigger == null) {
                setBulk(t, true);
            }
            try {
                counts = batch.run();
            } catch (SQLException e) {
                batchFailure = e;
            }
            if (trigger == null) {
                setBulk(t, false);
            } else {
                exec(trigger);
            }
            int inserted = batchFailure == null ? keys.size() : insertedPrefix(t, keys, json);
            if (inserted > 0) {
                writeClocks(t, keys.subList(0, inserted), inserted == keys.size() ? json : keysJson(keys.subList(0, inserted)));
            }
            exec("RELEASE " + SAVEPOINT);
        } catch (SQLException | RuntimeException e) {
            if (batchFailure != null) {
                e.addSuppressed(batchFailure);
            }
            rollbackQuietly(e);
            throw e;
        }
        if (batchFailure != null) {
            throw batchFailure;
        }
        return counts;
    }

    /** {@code [k1,k2,...]}, or null unless every key is an integer. */
    private static String keysJson(List<Object> keys) {
        StringBuilder json = new StringBuilder(keys.size() * 8 + 2).append('[');
        for (Object k : keys) {
            if (!(k instanceof Long l)) {
                return null;
            }
            json.append(json.length() > 1 ? "," : "").append((long) l);
        }
        return json.append(']').toString();
    }

    /** No trigger on the table but the capture triggers, and no key with a clock record already. */
    private boolean eligible(TableInfo t, List<Object> keys, String keysJson) throws SQLException {
        if (t.keyKind() != TableInfo.KeyKind.ROWID) {
            return false;
        }
        PreparedStatement triggers = session.prepared("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?");
        triggers.setString(1, t.name());
        if (longOf(triggers) != CaptureTriggers.count(t)) {
            return false;
        }
        // Keys the driver allocates grow past every key the clock table holds: one b-tree seek shows none was seen.
        PreparedStatement highest = session.prepared("SELECT max(key) >= ? FROM " + Sql.ident(t.clockTable()));
        highest.setLong(1, smallest(keys));
        if (longOf(highest) == 0) {
            return true;
        }
        PreparedStatement seen = session.prepared("SELECT EXISTS (SELECT 1 FROM json_each(?) AS j JOIN "
                + Sql.ident(t.clockTable()) + " AS c ON c.key = j.value)");
        seen.setString(1, keysJson);
        return longOf(seen) == 0;
    }

    private static long smallest(List<Object> keys) {
        long min = Long.MAX_VALUE;
        for (Object k : keys) {
            min = Math.min(min, (Long) k);
        }
        return min;
    }

    /**
     * Drops the table's insert trigger for the batch and returns its DDL to restore it, or null if the table has none
     * by that name. SQLite enters a trigger's program for every row even when its WHEN is false: measured with
     * sqlite-jdbc, {@code WHEN 0} alone adds about 60% to a plain row insert. The schema change costs every connection
     * one schema reload (and the catalog a refresh), worth it only for large batches. The savepoint brings the trigger
     * back if anything fails.
     */
    private String dropInsertTrigger(TableInfo t) throws SQLException {
        String name = CaptureTriggers.insertTriggerName(t);
        PreparedStatement p = session.prepared("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        p.setString(1, name);
        String sql;
        try (ResultSet rs = p.executeQuery()) {
            sql = rs.next() ? rs.getString(1) : null;
        }
        if (sql != null) {
            exec("DROP TRIGGER " + Sql.ident(name));
        }
        return sql;
    }

    private void setBulk(TableInfo t, boolean on) throws SQLException {
        PreparedStatement p = session.prepared(on ? "INSERT INTO " + CrrMetadata.BULK + " (tbl) VALUES (?)"
                : "DELETE FROM " + CrrMetadata.BULK + " WHERE tbl = ?");
        p.setLong(1, t.id());
        Reentrant.withoutGeneratedKeys(session.connection(), p::executeUpdate);
    }

    /** How many of the batch's rows are in the table: those before the row that failed. */
    private int insertedPrefix(TableInfo t, List<Object> keys, String keysJson) throws SQLException {
        PreparedStatement p = session.prepared("SELECT COALESCE(min(j.key), ?) FROM json_each(?) AS j WHERE NOT EXISTS"
                + " (SELECT 1 FROM " + Sql.ident(t.name()) + " AS u WHERE u." + Sql.ident(t.pkColumns().get(0)) + " = j.value)");
        p.setLong(1, keys.size());
        p.setString(2, keysJson);
        return (int) longOf(p);
    }

    /** The clock records of rows with fresh keys, as the insert trigger writes them row by row. */
    private void writeClocks(TableInfo t, List<Object> keys, String keysJson) throws SQLException {
        TxState tx = session.tx();
        long dbv = session.transactionDbVersion();
        int perRow = Math.max(1, t.columns().size());
        long base = tx.seq;
        StringBuilder cols = new StringBuilder("key");
        StringBuilder vals = new StringBuilder("j.value");
        if (t.columns().isEmpty()) {
            appendSlot(cols, vals, 0, 0, perRow);
        }
        for (int i = 0; i < t.columns().size(); i++) {
            appendSlot(cols, vals, t.columns().get(i).slot(), i, perRow);
        }
        PreparedStatement p = session.prepared("INSERT INTO " + Sql.ident(t.clockTable()) + " (" + cols + ") SELECT " + vals
                + " FROM json_each(?4) AS j WHERE true ON CONFLICT (key) DO NOTHING");
        p.setLong(1, dbv);
        p.setLong(2, base);
        p.setString(3, "0".equals(tx.ts) ? null : tx.ts);
        p.setString(4, keysJson);
        int written = Reentrant.withoutGeneratedKeys(session.connection(), p::executeUpdate);
        if (written != keys.size()) {
            throw new SQLException("crsql - bulk capture of " + t.name() + " wrote " + written + " clock records for "
                    + keys.size() + " new rows", CrrErrors.INTERNAL);
        }
        tx.seq += (long) perRow * keys.size();
        tx.touched.addAll(t.id(), keys);
    }

    private static void appendSlot(StringBuilder cols, StringBuilder vals, int slot, int index, int perRow) {
        cols.append(", ").append(Sql.f(slot, "v")).append(", ").append(Sql.f(slot, "db")).append(", ").append(Sql.f(slot, "site"))
            .append(", ").append(Sql.f(slot, "seq")).append(", ").append(Sql.f(slot, "ts"));
        vals.append(", 1, ?1, 0, ?2 + j.key * ").append(perRow).append(" + ").append(index).append(", ?3");
    }

    private static long longOf(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void rollbackQuietly(Exception cause) {
        for (String sql : List.of("ROLLBACK TO " + SAVEPOINT, "RELEASE " + SAVEPOINT)) {
            try {
                exec(sql);
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
        session.forgetTransactionCaches();
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = session.connection().createStatement()) {
            s.execute(sql);
        }
    }
}
