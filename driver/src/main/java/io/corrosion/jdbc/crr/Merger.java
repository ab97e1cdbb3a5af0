package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.MissingSchemaException;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code INSERT INTO crsql_changes}: merges remote changes exactly as cr-sqlite's {@code merge_insert} does,
 * change by change, with Corrosion's versioning (a merged clock keeps the origin's db_version, seq and site;
 * the highest db_version seen per site is recorded, won or lost).
 *
 * <p>Changes are grouped by row: a row's clock record is read once, every change for it is decided in memory in
 * the order given, and the record is written back once. Writes to the user table happen in order as cr-sqlite
 * does them, with consecutive column wins on the same row folded into one upsert, and a sentinel's insert of the key
 * folded into the wins that follow it (the row then takes no default its table may refuse, as a STRICT one can).
 */
final class Merger {
    private final CrrSession session;

    Merger(CrrSession session) {
        this.session = session;
    }

    /** Applies the changes on the session's connection; the caller provides the transaction. Returns rows impacted. */
    long apply(List<Change> changes) throws SQLException {
        boolean mergeEqualValues = session.config().mergeEqualValues();
        Map<RowRef, List<Change>> rows = new LinkedHashMap<>();
        Map<ByteBuffer, Long> seen = new LinkedHashMap<>();
        Map<String, TableInfo> tables = new HashMap<>();
        TxState tx = session.tx();
        for (TableInfo t : session.catalog().tables(!tx.catalogChecked)) {
            tables.put(t.name(), t);
        }
        tx.catalogChecked = true;
        checkSchema(changes, tables);
        session.versions().carry();
        byte[] ownSite = session.siteId();
        for (Change ch : changes) {
            TableInfo t = tables.get(ch.table());
            if (Arrays.equals(ch.siteId(), ownSite)) {
                throw CrrErrors.badChange("Unable to insert db version " + ch.dbVersion() + " for site id "
                        + SqlValues.hex(ownSite) + ": a node does not merge changes from its own site id", null);
            }
            Object key;
            try {
                key = t.keyOf(ch.pk());
            } catch (IllegalArgumentException e) {
                throw CrrErrors.badChange("bad change for table " + ch.table() + ": " + e.getMessage(), e);
            }
            rows.computeIfAbsent(new RowRef(t, key), r -> new ArrayList<>()).add(ch);
        }
        long impacted = 0;
        for (Map.Entry<RowRef, List<Change>> e : rows.entrySet()) {
            RowMerge row = new RowMerge(session.statements(e.getKey().table), e.getKey().key, mergeEqualValues);
            for (Change ch : e.getValue()) {
                long n = row.merge(ch);
                impacted += n;
                // Like cr-sqlite, the count survives a failed statement until the next commit.
                session.tx().rowsImpacted += n;
                if (ch.siteId().length > 0) {
                    seen.merge(ByteBuffer.wrap(ch.siteId()), ch.dbVersion(), Math::max);
                }
            }
            row.finish();
        }
        for (Map.Entry<ByteBuffer, Long> e : seen.entrySet()) {
            recordDbVersion(e.getKey().array(), e.getValue());
        }
        if (impacted > 0) {
            session.versions().recordFloor(); // a won merge may overwrite the last traces of a local version
        }
        return impacted;
    }

    /** crsql_db_versions: the highest db version seen from a site, for every merged change won or lost. */
    private void recordDbVersion(byte[] site, long dbVersion) throws SQLException {
        TxState tx = session.tx();
        Long known = tx.recordedDbVersions.get(ByteBuffer.wrap(site));
        if (known != null && known >= dbVersion) {
            return;
        }
        tx.recordedDbVersions.put(ByteBuffer.wrap(site.clone()), dbVersion);
        PreparedStatement p = session.prepared("INSERT INTO " + CrrMetadata.DB_VERSIONS_TABLE
                + " (site_id, db_version) VALUES (?, ?) ON CONFLICT (site_id) DO UPDATE SET db_version = excluded.db_version"
                + " WHERE db_version < excluded.db_version");
        p.setBytes(1, site);
        p.setLong(2, dbVersion);
        p.executeUpdate();
    }

    /**
     * Fails before anything is written if a change names a table that is not a CRR here or a column the CRR lacks:
     * the caller (replication) keeps such changes until the application migrated this node too.
     */
    private static void checkSchema(List<Change> changes, Map<String, TableInfo> tables) throws MissingSchemaException {
        Set<String> missing = new LinkedHashSet<>();
        boolean tableMissing = false;
        for (Change ch : changes) {
            TableInfo t = tables.get(ch.table());
            if (t == null) {
                tableMissing = true;
                missing.add(ch.table());
            } else if (!ch.isSentinel() && t.column(ch.cid()).isEmpty()) {
                missing.add(ch.table() + "." + ch.cid());
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingSchemaException("crsql - could not find the schema information for " + String.join(", ", missing)
                    + ": not a CRR or column on this node (yet); nothing was merged", tableMissing ? CrrErrors.UNKNOWN_TABLE
                    : CrrErrors.UNKNOWN_COLUMN, List.copyOf(missing));
        }
    }

    private record RowRef(TableInfo table, Object key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowRef r && r.table.name().equals(table.name()) && SqlValues.same(r.key, key);
        }

        @Override
        public int hashCode() {
            return table.name().hashCode() * 31 + SqlValues.hash(key);
        }
    }

    /** The merge of every change for one row. */
    private final class RowMerge {
        private final TableStatements ops;
        private final TableInfo t;
        private final ClockRecord rec;
        private final boolean mergeEqualValues;
        private final Map<String, Object> pendingValues = new LinkedHashMap<>();
        private final Set<List<Long>> logEntries = new LinkedHashSet<>();
        private boolean dirty;
        /** Whether the user row exists, as the clock record tells (alive); a write that finds none inserts it. */
        private boolean rowExists;
        /**
         * A sentinel insert not written yet: the row is created with the values of the column wins that follow it, in one
         * statement, so that it does not depend on defaults the table may refuse (a STRICT column's of another type).
         */
        private boolean insertPending;

        RowMerge(TableStatements ops, Object key, boolean mergeEqualValues) throws SQLException {
            this.ops = ops;
            this.t = ops.table;
            this.rec = ops.load(key);
            this.mergeEqualValues = mergeEqualValues;
            this.rowExists = rec.stored && rec.causalLength() % 2 == 1;
        }

        /** One change, cr-sqlite's merge_insert steps in order. Returns the rows it impacted. */
        long merge(Change ch) throws SQLException {
            long localCl = rec.causalLength();
            if (ch.cl() < localCl) {
                return 0;
            }
            long site = session.siteOrdinal(ch.siteId());
            if (ch.cl() % 2 == 0) {
                if (ch.cl() == localCl) {
                    // The same delete seen twice. With merge-equal-values the higher site id's tombstone is kept,
                    // silently (cr-sqlite counts no impacted row for it).
                    if (mergeEqualValues && rec.sentinel() != null
                            && Arrays.compareUnsigned(ch.siteId(), session.siteIdOf(rec.sentinel().site)) > 0) {
                        session.versions().recordFloor(); // the tombstone replaced may be a local version's last trace
                        setClock(0, ch.colVersion(), ch, site);
                    }
                    return 0;
                }
                insertPending = false; // the row goes anyway
                flushValues();
                ops.deleteRow(rec.key);
                rowExists = false;
                setClock(0, ch.colVersion(), ch, site);
                rec.dropColumnClocks();
                return 1;
            }
            if (ch.isSentinel()) {
                if (ch.cl() == localCl) {
                    return 0;
                }
                sentinelOnlyInsert(ch.colVersion(), ch, site);
                return 1;
            }
            TableInfo.Column col = t.column(ch.cid()).orElseThrow(); // checkSchema vouched for it
            long impacted = 0;
            boolean needsResurrect = ch.cl() > localCl;
            boolean existsLocally = localCl != 0;
            if (needsResurrect && (existsLocally || ch.cl() > 1)) {
                // Out-of-order delivery: the column change itself resurrects the row, its sentinel takes the cl.
                sentinelOnlyInsert(ch.cl(), ch, site);
                impacted++;
            }
            if (!(needsResurrect || !existsLocally || columnWins(ch, col))) {
                return impacted;
            }
            pendingValues.remove(col.name());
            pendingValues.put(col.name(), ch.val());
            setClock(col.slot(), ch.colVersion(), ch, site);
            return impacted + 1;
        }

        private void sentinelOnlyInsert(long version, Change ch, long site) throws SQLException {
            flushValues();
            insertPending = true;
            for (int s = 1; s < rec.slots.length; s++) {
                if (rec.slots[s] != null) {
                    rec.slots[s].version = 0;
                    dirty = true;
                }
            }
            setClock(0, version, ch, site);
        }

        /** did_cid_win, reached only at equal causal lengths. */
        private boolean columnWins(Change ch, TableInfo.Column col) throws SQLException {
            ClockRecord.Clock local = rec.slots[col.slot()];
            if (local == null) {
                return true;
            }
            if (ch.colVersion() != local.version) {
                return ch.colVersion() > local.version;
            }
            flushValues();
            int cmp = SqlValues.compare(ch.val(), ops.value(rec.key, col.name()));
            if (cmp == 0 && mergeEqualValues) {
                cmp = Arrays.compareUnsigned(ch.siteId(), session.siteIdOf(local.site));
            }
            return cmp > 0;
        }

        private void setClock(int slot, long version, Change ch, long site) {
            rec.slots[slot] = new ClockRecord.Clock(version, ch.dbVersion(), site, ch.seq(), ch.ts());
            dirty = true;
            logEntries.add(List.of(site, ch.dbVersion()));
        }

        private void flushValues() throws SQLException {
            if (!pendingValues.isEmpty()) {
                ops.write(rec.key, new ArrayList<>(pendingValues.keySet()), new ArrayList<>(pendingValues.values()), rowExists);
                rowExists = true;
                pendingValues.clear();
            } else if (insertPending) {
                ops.insertPkOnly(rec.key);
                rowExists = true;
            }
            insertPending = false;
        }

        void finish() throws SQLException {
            flushValues();
            if (dirty || !rec.stored) {
                ops.store(rec);
            }
            for (List<Long> e : logEntries) {
                ops.log(e.get(0), e.get(1), rec.key);
            }
        }
    }

}
