package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The SQL functions the engine registers on each attached connection: cr-sqlite's public ones
 * ({@code crsql_site_id}, {@code crsql_db_version}, ...) and the internal ones its triggers and views call.
 */
final class CrrFunctions {
    private CrrFunctions() {}

    static void register(CrrSession s) throws SQLException {
        TxState tx = s.tx();
        fn(s, "crsql_site_id", 0, true, a -> s.siteId());
        fn(s, "crsql_db_version", 0, false, a -> s.nested(s::dbVersion));
        fn(s, "crsql_peek_next_db_version", 0, false,
                a -> tx.pendingDbVersion > 0 ? tx.pendingDbVersion : s.versions().committed() + 1);
        fn(s, "crsql_rows_impacted", 0, false, a -> tx.rowsImpacted);
        fn(s, "crsql_set_ts", 1, false, a -> {
            s.setTimestamp(a[0] == null ? null : String.valueOf(a[0]));
            return "OK";
        });
        fn(s, "crsql_config_set", 2, false, a -> {
            s.nested(() -> {
                s.config().set(String.valueOf(a[0]), a[1]);
                return null;
            });
            return a[1];
        });
        fn(s, "crsql_config_get", 1, false, a -> s.nested(() -> s.config().get(String.valueOf(a[0]))));
        fn(s, "crsql_pack_columns", -1, true, a -> PackedColumns.pack(Arrays.asList(a)));
        fn(s, "crsql_as_crr", 1, false, a -> s.nested(() -> {
            s.ddl().asCrr(String.valueOf(a[0]), CrrRule.ALL);
            return "OK";
        }));
        fn(s, "crsql_begin_alter", 1, false, a -> s.nested(() -> {
            s.ddl().beginAlter(String.valueOf(a[0]));
            return "OK";
        }));
        fn(s, "crsql_commit_alter", 1, false, a -> s.nested(() -> {
            s.ddl().commitAlter(String.valueOf(a[0]), true);
            return "OK";
        }));
        fn(s, "crsql_finalize", 0, false, a -> "OK");

        // cr-sqlite's: 1 while changes of other nodes merge, for an application trigger that must not write then
        // (what it writes during a merge is not captured, so it stays on this node).
        fn(s, "crsql_internal_sync_bit", 0, false, a -> tx.capturing ? 0L : 1L);

        // Called by the capture triggers and the crsql_changes view.
        fn(s, "crsql_internal_capture", 0, false, a -> tx.capturing);
        fn(s, "crsql_internal_conflict", 0, false, a -> tx.conflicts.resolution());
        // (the UNIQUE constraint's own ON CONFLICT action): that action where no statement has a clause
        fn(s, "crsql_internal_conflict", 1, false, a -> tx.conflicts.resolution(String.valueOf(a[0])));
        // (table): 0 if the statement writing is no UPSERT into the table (a trigger's INSERT into another), 1 if it is,
        // 2 if its last clause is ON CONFLICT DO NOTHING without a target
        fn(s, "crsql_internal_upsert", 1, false, a -> tx.conflicts.upsert(String.valueOf(a[0])));
        // (the row's target values are the ones it collides with, message): an UPSERT on a UNIQUE constraint, rewritten
        // onto the primary key (UpsertTargetRewrite), whose row brought a key that collides while its target values do
        // not: SQLite fails it, the key not being the target
        fn(s, "crsql_internal_upsert_target", 2, false, a -> {
            if (a[0] instanceof Long holds && holds != 0) {
                return 1L;
            }
            throw new SQLException(String.valueOf(a[1]), "23505");
        });
        // (OR clause or NULL, UPSERT table or NULL, 1 if its last clause is a targetless DO NOTHING, bracket id), then
        // (bracket id): around a statement of an application trigger's body (TriggerConflictRewrite)
        for (int args = 4; args <= 5; args++) { // 5: in an UPDATE trigger
            fn(s, "crsql_internal_conflict_push", args, false, a -> {
                tx.conflicts.push(a[0] == null ? null : String.valueOf(a[0]), a[1] == null ? null : String.valueOf(a[1]),
                        a[2] instanceof Long l && l != 0, String.valueOf(a[3]), a.length == 5);
                return null;
            });
        }
        fn(s, "crsql_internal_conflict_pop", 1, false, a -> {
            tx.conflicts.pop(String.valueOf(a[0]));
            return null;
        });
        fn(s, "crsql_internal_dbv", 0, false,
                a -> tx.pendingDbVersion > 0 ? tx.pendingDbVersion : s.versions().current());
        fn(s, "crsql_internal_committed_dbv", 0, false, a -> s.versions().committed());
        fn(s, "crsql_internal_seq", 3, false, a -> { // (seqs, table id, clock key): triggers of format 2
            long base = tx.seq;
            tx.seq += (Long) a[0];
            tx.touched.add((Long) a[1], a[2]);
            return base;
        });
        // (seqs, table id, clock key), or (table id, clock key) for one seq: the capture triggers' one call per row; see
        // CaptureTriggers.stamp.
        fn(s, "crsql_internal_stamp", 3, 2, a -> stamp(s, (Long) a[0], (Long) a[1], a[2]));
        fn(s, "crsql_internal_stamp", 2, 1, a -> stamp(s, 1, (Long) a[0], a[1]));
        fn(s, "crsql_internal_last_seq", 0, false, a -> tx.lastSeq);
        fn(s, "crsql_internal_unflushed", 2, false, a -> {
            long table = (Long) a[0];
            long since = a[1] instanceof Long l ? l : 0;
            return s.journal().unflushedJson(table, since, tx.readFrom, tx.readTo, tx.pendingDbVersion,
                    tx.touched.keys(table));
        });
        // (table id, clock key): the insert trigger's second statement, for a key seen before (LocalWrites.reinserted)
        fn(s, "crsql_internal_reinsert", 2, 1, a -> s.nested(() -> {
            s.localWrites().reinserted((Long) a[0], a[1]);
            return null;
        }));
        fn(s, "crsql_internal_reseq", 2, false, a -> { // insert triggers of format 10
            if (!tx.capturing) {
                return null;
            }
            tx.seq -= (Long) a[0];
            long base = tx.seq;
            tx.seq += (Long) a[1];
            return base;
        });
        fn(s, "crsql_internal_ts", 0, false, a -> "0".equals(tx.ts) ? null : tx.ts);
        fn(s, "crsql_internal_pk_change", 4, false, a -> s.nested(() -> {
            s.localWrites().primaryKeyChanged((Long) a[0], a[1], a[2], String.valueOf(a[3]));
            return null;
        }));
        // A ranged table's capture triggers, for a key a clock range stands for: its record becomes a row (ClockRanges).
        fn(s, "crsql_internal_materialize", 2, false, a -> s.nested(() -> {
            TableInfo t = s.catalog().table((Long) a[0]);
            return t != null && a[1] instanceof Long key && s.statements(t).materialize(key) ? 1L : 0L;
        }));
        fn(s, "crsql_internal_pk_part", 2, true,
                a -> PackedColumns.unpack((byte[]) a[0]).get(((Long) a[1]).intValue()));
        ReplaceDeletes.register(s);
        fn(s, "crsql_internal_merge", 10, false, a -> s.nested(() -> {
            s.mergeInserted(ChangeColumns.of(a));
            return null;
        }));
    }

    /**
     * Takes {@code seqs} seqs for a captured row of {@code table} and notes the row for the version log; returns the
     * transaction's db version and first seq packed ({@link CaptureTriggers#SEQ_BITS}), -1 if they do not fit or a
     * timestamp is set, NULL while capture is off.
     */
    private static Long stamp(CrrSession s, long seqs, long table, Object key) throws SQLException {
        TxState tx = s.tx();
        if (!tx.capturing) {
            return null;
        }
        long dbv = tx.pendingDbVersion > 0 ? tx.pendingDbVersion : s.versions().current();
        long base = tx.seq;
        tx.seq += seqs;
        tx.lastSeq = base;
        tx.touched.add(table, key);
        boolean fits = tx.seq <= 1L << CaptureTriggers.SEQ_BITS && dbv < 1L << (62 - CaptureTriggers.SEQ_BITS);
        return fits && "0".equals(tx.ts) ? dbv << CaptureTriggers.SEQ_BITS | base : -1L;
    }

    /** The error of a function called on a connection its session was detached from. */
    static SQLException detached(String function) {
        return new SQLException(function + ": the CRR engine was detached from this connection; attach it again"
                + " (CrrEngine.attach) before writing to CRR tables", "55000");
    }

    private static void fn(CrrSession s, String name, int nArgs, boolean deterministic, SqlFunction.Body body)
            throws SQLException {
        fn(s, name, nArgs, 0, deterministic, body);
    }

    private static void fn(CrrSession s, String name, int nArgs, int longArgs, SqlFunction.Body body) throws SQLException {
        fn(s, name, nArgs, longArgs, false, body);
    }

    /** Every function fails once its session is closed: a detached connection cannot write CRRs unnoticed. */
    private static void fn(CrrSession s, String name, int nArgs, int longArgs, boolean deterministic, SqlFunction.Body body)
            throws SQLException {
        SqlFunction.register(s.connection(), name, nArgs, longArgs, deterministic, a -> {
            if (s.isClosed()) {
                throw detached(name);
            }
            return body.call(a);
        });
    }

}
