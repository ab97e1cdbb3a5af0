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
     *
     * <p>One departure: when the new key's row is alive in the same life (no sentinel: an {@code UPDATE OR REPLACE}
     * moved a row onto a plain insert's), each column's version goes past the key's own as well as the moved one, as
     * an INSERT OR REPLACE over the row would take it. cr-sqlite takes the moved version only, so this node's clock
     * for the key went back while its row held the moved value: a node that had the key's newer version kept its own
     * value, and the nodes differed for good ({@code crsqlite-golden/pk-move-onto-live-key}).
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
        // A row alive at the new key without a sentinel (causal length 1): the statement's REPLACE deleted it, SQLite
        // firing no delete trigger, and the moved row carries on its life, as an INSERT OR REPLACE over it would.
        boolean sameLife = newSentinel == null && to.hasColumnClocks();
        long created = newSentinel == null ? 1 : newSentinel.version + (newSentinel.version % 2 == 0 ? 1 : 2);
        to.slots[0] = new ClockRecord.Clock(created, dbv, 0, tx.nextSeq(), ts);
        for (TableInfo.Column col : t.columns()) {
            long seq = tx.nextSeq();
            ClockRecord.Clock moved = from.slots[col.slot()];
            ClockRecord.Clock held = sameLife ? to.slots[col.slot()] : null;
            if (moved != null || held != null) {
                long version = Math.max(moved == null ? 0 : moved.version, held == null ? 0 : held.version);
                to.slots[col.slot()] = new ClockRecord.Clock(version + 1, dbv, 0, seq, ts);
                from.slots[col.slot()] = null;
            } else if (newSentinel != null) {
                // A column the moved row has no clock for (added by ALTER TABLE since, its value the default) on a key
                // that lived before: a peer that held that life keeps its value of the column when the key comes back
                // (cr-sqlite's resurrection zeroes clocks and keeps values), so the new life writes it. cr-sqlite
                // writes nothing here, and its nodes differ for good (random schema probe, seed 32811).
                to.slots[col.slot()] = new ClockRecord.Clock(1, dbv, 0, seq, ts);
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
     * cr-sqlite's insert of a key that has a clock record already ({@link CaptureTriggers#reinsert}). The insert
     * trigger's stamp took one seq per column for a fresh key; they are given back and the row takes one more, for the
     * sentinel. Nothing while capture is off (a merge writes).
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
        int n = t.columns().size();
        long dbv = session.versions().current();
        tx.seq -= n;
        long first = tx.seq;
        tx.seq += n + 1;
        session.statements(t).reinsert(key, dbv, first, "0".equals(tx.ts) ? null : tx.ts);
    }
}
