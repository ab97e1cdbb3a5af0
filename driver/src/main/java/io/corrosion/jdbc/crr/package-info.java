/**
 * The CRR engine: makes SQLite tables conflict-free replicated relations that merge exactly as cr-sqlite
 * (Corrosion's fork, see shared/CRSQLITE.md) does, on raw sqlite-jdbc connections.
 *
 * <p>Entry point: {@link io.corrosion.jdbc.crr.CrrEngine#attach(org.sqlite.SQLiteConnection)} returns the
 * per-connection {@link io.corrosion.jdbc.crr.CrrSession} (site id, db version, asCrr/alter/drop, apply changes,
 * read changes). Every connection that writes a CRR must be attached: the capture triggers call its functions.
 *
 * <h2>Storage (what differs from cr-sqlite, and why)</h2>
 * Only the SQL surface ({@code crsql_changes}, {@code crsql_site_id()}, {@code crsql_db_version()},
 * {@code crsql_db_versions}) is cr-sqlite's; the storage is built for as few b-trees touched per transaction as
 * a key lookup plus a version index allow, since that is what a small write transaction pays for in WAL mode
 * (measured on the 2-core dev machine: plain single-row INSERT ~18 µs, each extra b-tree it touches ~11 µs;
 * cr-sqlite touches 5 extra — clock, its version index, pks, pks index, db_versions — this layout 2):
 * <ul>
 *   <li>{@code <table>__crsql_clock}: one record per row ever seen, keyed by the primary key itself (the rowid for
 *       {@code INTEGER PRIMARY KEY} tables, the value for other single-column keys, the packed key for composite
 *       ones; no {@code __crsql_pks} lookaside). The record holds the sentinel ({@code cl, cl_db, cl_site, cl_seq,
 *       cl_ts}) and per column slot {@code ci_v, ci_db, ci_site, ci_seq, ci_ts}: cr-sqlite's clock rows for the key,
 *       NULL where cr-sqlite has no row. Column slots are numbered ({@code __corrosion_crr_column}), so a column
 *       name is stored once per table, not once per clock row.</li>
 *   <li>{@code __corrosion_log (site, db_version, tbl, key)}: one entry per (origin site, db version, row) that
 *       some clock field of the row carries: the index replication reads by site and version range walk, shared by
 *       all tables (one page per local transaction), and the source of the local db version (its maximum for site
 *       ordinal 0; {@code __corrosion_db_versions} keeps a floor for when entries go). Stale entries (the row was
 *       written again) are skipped by readers and removed by {@link io.corrosion.jdbc.crr.SessionSchema#compactLog()}.
 *       {@code __corrosion_log_range (site, db_version, tbl, lo, hi, step)}: the same for the integer keys
 *       {@code lo, lo + step, ..., hi} at once, for runs of keys a transaction wrote in arithmetic progression (a JDBC
 *       batch of generated keys is one range, not one entry per row).</li>
 *   <li>{@code __corrosion_clock_range (tbl, lo, hi, step, db, seq, slots, width, ts)}: the clock records of a large
 *       JDBC batch of generated keys as one row ({@link io.corrosion.jdbc.crr.ClockRanges}) instead of a record per
 *       row, which costs about as much as the row itself. A record becomes a row of the clock table, and its key leaves
 *       the range, when something writes it; tables with ranges have capture triggers that look them up.</li>
 *   <li>{@code crsql_site_id}, {@code crsql_master}: as cr-sqlite. {@code crsql_db_versions}: a view over
 *       {@code __corrosion_db_versions} (highest version merged per site, won or lost) plus the local version.</li>
 * </ul>
 *
 * <h2>Capture</h2>
 * AFTER INSERT/UPDATE/DELETE triggers in plain SQL write the clock record; one Java function call per captured row
 * ({@code crsql_internal_stamp}, registered per connection) hands out the transaction's db version (chosen on its
 * first write, reset by the commit and rollback hooks) and seqs packed in one integer, notes the row for the version
 * log ({@link io.corrosion.jdbc.crr.LocalJournal}), and returns NULL while a merge writes (capture off). A call from
 * SQLite into Java costs about a small b-tree write, so the triggers make one, not one per value. Large JDBC batches
 * of INSERTs with driver-allocated keys skip the insert trigger (from 4096 rows on, drop it for the batch: a trigger
 * costs SQLite per row even when its WHEN is false) and get their clock records as one range
 * ({@link io.corrosion.jdbc.crr.BulkInserts}). Reads pay nothing. A primary-key change runs in Java
 * ({@link io.corrosion.jdbc.crr.LocalWrites}); its trigger fires only for UPDATEs that set a key column (or the rowid),
 * so an UPDATE of other columns runs one trigger per column it sets and nothing else.
 *
 * <h2>Merge</h2>
 * {@link io.corrosion.jdbc.crr.Merger} implements {@code merge_insert} on the clock record in memory, row by row;
 * it backs both {@link io.corrosion.jdbc.crr.CrrSession#apply} and the INSTEAD OF INSERT trigger of the
 * {@code crsql_changes} view, whose rows go through the session's merge route
 * ({@link io.corrosion.jdbc.crr.CrrSession#routeMerges}: {@code apply} unless the driver routes them through its
 * key-counter and slot-claim steps) and are counted ({@link io.corrosion.jdbc.crr.CrrSession#changesInserted}).
 *
 * <h2>What the driver (phase B) routes here</h2>
 * <ul>
 *   <li>every connection it opens: {@code CrrEngine.attach} before any application SQL, {@code close()} with it;</li>
 *   <li>{@code CREATE TABLE} of a replicated table: {@code asCrr(table, rules)} after it, in the same transaction;</li>
 *   <li>{@code ALTER TABLE} of a CRR: {@code beginAlter} before and {@code commitAlter} after (SQLite refuses to
 *       drop or rename a column the triggers or the view name); {@code DROP TABLE} of a CRR: {@code holdForRebuild}
 *       before (a rebuild in one transaction keeps the table's clocks: {@link io.corrosion.jdbc.crr.Rebuilds}) and
 *       {@code dropCrr} after (until then crsql_changes fails); {@code ALTER TABLE ... RENAME TO}: {@code renameCrr};
 *       {@code CREATE UNIQUE INDEX} on a CRR: refuse ({@link io.corrosion.jdbc.crr.CrrRule#NO_UNIQUE_INDEX});</li>
 *   <li>{@code INSERT INTO crsql_changes} batches: {@code apply(List<Change>)} (the view's INSTEAD OF trigger works
 *       as is, one row per call, about six times slower);</li>
 *   <li>{@code PRAGMA recursive_triggers = ON}: refuse (INSERT OR REPLACE would then capture a delete that
 *       cr-sqlite does not);</li>
 *   <li>on open of a file: {@code nonCrrTables()} to upgrade; now and then: {@code compactLog()}.</li>
 * </ul>
 * The {@code crsql_*} functions need no routing on attached connections. {@code crsql_changes} is a TEMP view of each
 * connection ({@link io.corrosion.jdbc.crr.ConnectionChangesView}): the driver attaches with it made on demand and calls
 * {@code ensureChangesView()} before SQL that names it, and {@code dropChangesView()} before an ALTER TABLE; a raw
 * connection attached with {@code CrrEngine.attach(conn)} has it from the start and after its own schema changes, and
 * calls {@code ensureChangesView()} after another connection's.
 */
package io.corrosion.jdbc.crr;
