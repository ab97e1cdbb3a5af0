/**
 * Cluster-safe generated keys and the tables that stay local.
 *
 * <h2>The key scheme</h2>
 * A generated key is {@code id = counter × 1024 + slot + 1}: {@code slot} (0–1023) belongs to this node, {@code
 * counter} counts per table per node. Nodes with different slots never generate the same key, so their rows never
 * merge by accident. The driver allocates the key when an INSERT leaves a single-column integer primary key out or
 * NULL — {@code INTEGER PRIMARY KEY}, {@code AUTOINCREMENT}, Hibernate's IDENTITY, {@code bigint}/{@code int8} keys,
 * untyped keys — in single- and multi-row VALUES, INSERT … SELECT, UPSERT, {@code INSERT OR REPLACE},
 * {@code REPLACE INTO} and {@code DEFAULT VALUES}. Keys the application supplies are stored as given (if one falls in
 * this node's slot, the counter moves past it). Composite and non-integer keys get nothing, nor do keys that are not
 * the rowid ({@code WITHOUT ROWID}; tables created before the driver with another type than {@code INTEGER}), whose
 * generated key {@code getGeneratedKeys()} could not report. Local, TEMP and internal tables keep SQLite's own
 * behaviour.
 *
 * <p>How it runs ({@link io.corrosion.jdbc.keys.KeyStatementHook}): CREATE TABLE turns such a key into a rowid alias
 * ({@link io.corrosion.jdbc.intercept.RowidKeyDdl}; the declared type stays visible in {@code getColumns}), so the
 * allocated key is the rowid and {@code getGeneratedKeys()}, {@code last_insert_rowid()}, {@code RETURNING} and jOOQ's
 * {@code where _rowid_ = last_insert_rowid()} all see it. A prepared single-row INSERT gets the key column appended
 * with {@code coalesce(?, __corrosion_key(n, NULL))}: the driver binds a fresh key to that last parameter before each
 * execution and batch row ({@link io.corrosion.jdbc.keys.KeyBinder}), the function only runs if nothing was bound.
 * Every other INSERT passes each row's key through {@code __corrosion_key(n, value)} (an SQL function, per row).
 * The INSERTs of a trigger body are rewritten at {@code CREATE TRIGGER} to call
 * {@code __corrosion_trigger_key('table', value)}, which names its table because the trigger outlives the numbers
 * ({@link io.corrosion.jdbc.intercept.TriggerKeyRewrite}); a table's rename renames it in those calls.
 *
 * <p>Persistence ({@link io.corrosion.jdbc.keys.Reservations}): counters live in memory, shared by the file's
 * connections, and are persisted in {@code __corrosion_counters} in the transaction that uses them, 64 values ahead
 * per write. A committed key is always below its counter's committed value: no rollback or crash can make the node
 * generate a committed key again. While the node runs, rolled-back keys are not reused either; after a crash the node
 * starts at the persisted reservation end, so uncommitted keys are skipped too, unless their transaction was the one
 * that extended the reservation. Burnt keys are gaps; nobody needs keys without gaps.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>1024 nodes generate keys at once (slots). More nodes may exist if the extra ones only supply keys.</li>
 *   <li>Keys that must fit a Java {@code int}: 2^31 / 1024 ≈ 2.1 million per node per table. The allocator stops with
 *       SQLState 22003 at 2^31 − 1 for keys declared {@code INT} (also {@code INT4}, {@code MEDIUMINT}, …: jOOQ's Integer
 *       keys) unless the table is listed in {@code int64-keys}. {@code INTEGER} keys go on: that is SQLite's 64-bit
 *       rowid type, and Hibernate declares it for Long ids as well as Integer ones; reading a key beyond 2^31 with
 *       {@code ResultSet.getInt} fails with 22003 in this driver (sqlite-jdbc returns the low 32 bits), so Hibernate
 *       with an Integer IDENTITY id fails loudly at that point instead of mixing up rows.</li>
 *   <li>64-bit keys: 2^63 / 1024 ≈ 9 × 10^15 per node per table.</li>
 *   <li>Hibernate's table generators ({@link io.corrosion.jdbc.keys.GeneratorBlocks}): blocks of twice the
 *       allocation size, owned round-robin by slot, starting at block 1024: with the default allocation size 50, about
 *       one million Integer ids per node per generator, and the whole Long range otherwise. The allocation size must
 *       be the same on every node (it is part of the entity mapping). The legacy "hilo" optimizer is not supported.</li>
 *   <li>One JVM per database file: the counters in memory are the JVM's.</li>
 * </ul>
 *
 * <h2>Node slots and the conflict rule</h2>
 * {@code node-slot} set: that slot, a guarantee the operator gives. Unset: on the first open of the file the node
 * claims one ({@link io.corrosion.jdbc.keys.SlotClaims}) — starting from a hash of its site id, the first slot no other
 * site holds in {@code __corrosion_node_slots(slot INTEGER PRIMARY KEY NOT NULL, site_id BLOB NOT NULL, claimed_at
 * INTEGER NOT NULL, configured INTEGER NOT NULL)} — and keeps it in {@code __corrosion_keys_node}. A configured slot is
 * recorded there too, with {@code configured = 1}. The claims table is meant to be replicated as a
 * CRR (its columns follow cr-sqlite's rules). Two nodes that claimed before seeing each other's claim hold the same
 * slot. <b>Rule for the replication layer</b>, when a merged claim names another site for this node's slot
 * ({@link io.corrosion.jdbc.keys.KeysExtension#claimMerged}): the lower site id (unsigned byte order, as SQLite
 * compares BLOBs) keeps the slot and writes its claim again, so that the claims table, last-writer-wins per column,
 * converges on the keeper; the higher site id claims a new slot for its future keys and logs an ERROR, because keys
 * both nodes generated in the shared slot before the conflict was seen can be equal, and replicated rows with equal
 * keys merge into one. A configured slot is never given up (ERROR logged), and a node that claimed it moves whatever
 * the site ids. The same rule applies when a conflicting claim is found at startup. A move is the node's once the
 * transaction that ran the rule commits: until then only that transaction generates keys in the new slot, and a
 * rollback leaves the node in the slot the file claims for it ({@code NodeSlots}).
 *
 * <p>The site id comes from a {@link io.corrosion.jdbc.keys.NodeIdentity}: until the CRR engine provides its own, 16
 * random bytes kept in {@code __corrosion_keys_node}. Switching the source moves the node's claims to the new site id.
 *
 * <h2>Local tables</h2>
 * {@link io.corrosion.jdbc.keys.LocalTables} is the one policy the CRR engine asks: the driver's own tables (but the
 * slot claims, which the replication layer makes a CRR), {@code sqlite_*}, Hibernate's {@code HTE_*}, {@code *_SEQ}, {@code hibernate_sequences} and generator-shaped tables,
 * the {@code local-tables} property (names and globs), and TEMP tables. Hibernate's generator statements on those
 * tables are answered by the driver ({@link io.corrosion.jdbc.keys.GeneratorBlocks}): node-private values, no write
 * lock, no SQLITE_BUSY against the application's open transaction.
 *
 * <h2>Composing with the CRR engine</h2>
 * {@link io.corrosion.jdbc.keys.KeysExtension} is a complete {@link io.corrosion.jdbc.DatabaseExtension}: call its
 * {@code setUpConnection} on every physical connection (before the engine's), run its statement hook first and hand
 * its SQL (re-planned) to the engine's hook, and pass {@code parameterBinder}, {@code afterExecute} and
 * {@code afterFailure} on with the application's plan.
 */
package io.corrosion.jdbc.keys;
