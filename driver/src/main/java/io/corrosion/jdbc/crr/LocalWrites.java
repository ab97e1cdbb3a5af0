package io.corrosion.jdbc.crr;

import java.sql.SQLException;

/**
 * The parts of local write capture that run in Java: a primary-key change ({@code after_update} with changed pk
 * values), which marks the old key deleted, the new key created and moves every column clock over; and an insert of a
 * key seen before ({@code after_insert} of a deleted row inserted again, or an INSERT OR REPLACE over a row).
 */
final class LocalWrites {
    private final CrrSession session;

    LocalWrites(CrrSession session) {
        this.session = session;
    }

    /**
     * cr-sqlite's pk-change path: old key sentinel deleted (2, or +1), new key sentinel created (1, or to the next
     * odd), each column clock moved to the new key with col_version + 1 (Corrosion's fork), then each changed
     * column bumped as in a plain update. One seq per step, in that order.
     */
    void primaryKeyChanged(long tableId, Object oldKey, Object newKey, String changedMask) throws SQLException {
        TableInfo t = session.catalog().table(tableId);
        if (t == null) {
            throw new SQLException("crsql - no CRR with id " + tableId, CrrErrors.INTERNAL);
        }
        TableStatements ops = session.statements(t);
        TxState tx = session.tx();
        long dbv = session.versions().current();
        String ts = tx.ts;
        ClockRecord from = ops.load(oldKey);
        ClockRecord to = ops.load(newKey);

        ClockRecord.Clock oldSentinel = from.sentinel();
        from.slots[0] = new ClockRecord.Clock(oldSentinel == null ? 2 : oldSentinel.version + 1, dbv, 0, tx.nextSeq(), ts);
        ClockRecord.Clock newSentinel = to.sentinel();
        long created = newSentinel == null ? 1 : newSentinel.version + (newSentinel.version % 2 == 0 ? 1 : 2);
        to.slots[0] = new ClockRecord.Clock(created, dbv, 0, tx.nextSeq(), ts);
        for (TableInfo.Column col : t.columns()) {
            long seq = tx.nextSeq();
            ClockRecord.Clock moved = from.slots[col.slot()];
            if (moved != null) {
                to.slots[col.slot()] = new ClockRecord.Clock(moved.version + 1, dbv, 0, seq, ts);
                from.slots[col.slot()] = null;
            }
        }
        for (int i = 0; i < t.columns().size(); i++) {
            if (changedMask.length() > i && changedMask.charAt(i) == '1') {
                int slot = t.columns().get(i).slot();
                ClockRecord.Clock c = to.slots[slot];
                to.slots[slot] = new ClockRecord.Clock(c == null ? 1 : c.version + 1, dbv, 0, tx.nextSeq(), ts);
            }
        }
        ops.store(from);
        ops.store(to);
        session.versions().touch(t.id(), oldKey);
        session.versions().touch(t.id(), newKey);
    }

    /**
     * cr-sqlite's insert of a key that has a clock record already: the sentinel, if there is one, goes to the next odd
     * causal length (one seq, spent even when there is none), then every column's col_version goes up by one (1 where
     * it had no clock). The columns that had a clock take the seqs after the sentinel's in column order, then those
     * without one (cr-sqlite's {@code mark_locally_inserted} hands a missing column's seq to the next column it
     * updates and inserts the missing ones last). The insert trigger's stamp took one seq per column already; they are
     * given back and the row takes one more. Nothing while capture is off (a merge writes).
     */
    void reinserted(long tableId, Object key) throws SQLException {
        TxState tx = session.tx();
        if (!tx.capturing) {
            return;
        }
        TableInfo t = session.catalog().table(tableId);
        if (t == null) {
            throw new SQLException("crsql - no CRR with id " + tableId, CrrErrors.INTERNAL);
        }
        TableStatements ops = session.statements(t);
        int n = t.columns().size();
        long dbv = session.versions().current();
        String ts = tx.ts;
        tx.seq -= n;
        long first = tx.seq;
        tx.seq += n + 1;
        ClockRecord rec = ops.load(key);
        ClockRecord.Clock sentinel = rec.sentinel();
        if (sentinel != null) {
            long cl = sentinel.version + (sentinel.version % 2 == 0 ? 1 : 2);
            rec.slots[0] = new ClockRecord.Clock(cl, dbv, 0, first, ts);
        }
        int existing = 0;
        for (TableInfo.Column c : t.columns()) {
            existing += rec.slots[c.slot()] == null ? 0 : 1;
        }
        int before = 0;
        for (int i = 0; i < n; i++) {
            int slot = t.columns().get(i).slot();
            ClockRecord.Clock c = rec.slots[slot];
            long seq = c != null ? first + 1 + before : first + 1 + existing + i - before;
            rec.slots[slot] = new ClockRecord.Clock(c == null ? 1 : c.version + 1, dbv, 0, seq, ts);
            before += c == null ? 0 : 1;
        }
        ops.store(rec);
    }
}
