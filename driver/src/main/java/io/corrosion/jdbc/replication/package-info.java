/**
 * Replication: the per-file agent that turns local commits into cluster-wide changes, and what
 * {@code CorrosionConnection} offers of it (version tokens, {@code awaitVersion}, change listeners, members, stats).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.corrosion.jdbc.replication.NodeReplication}: one per database file, created and closed with its
 *       {@code CorrosionDatabase}. Starts a {@link io.corrosion.jdbc.replication.ReplicationAgent} when the file's node
 *       settings have {@code bind}/{@code seeds}.</li>
 *   <li>{@code ReplicationAgent}: a gossip node ({@code io.corrosion.gossip.runtime.GossipNode}) whose store is the file
 *       ({@code SqliteChangesetStore}), the publisher of local commits ({@code LocalPublisher}) and the upkeep thread.
 *       Three connections of its own: writer (apply), reader (sync), publisher.</li>
 *   <li>Commit to changeset: the CRR engine's commit hand-off reports each local db version; the publisher reads the
 *       version's changes back ({@code VersionSource}: {@code crsql_changes} by site and version, plus changes kept
 *       for a missing schema), cuts them by seq range ({@code VersionChunker}, 60 KiB of payload per changeset) and
 *       broadcasts them; a version whose changes were all overwritten goes as an empty changeset.</li>
 *   <li>Payload codec ({@code ChangesPayload}): format byte 1, a string dictionary (tables, columns, timestamps),
 *       then per change: table, packed pk, cid, typed value, col_version, cl, seq, ts. Strict: bounded lengths,
 *       checked indexes, valid UTF-8 and packed keys, seqs inside the chunk, nothing after the end; failures are a
 *       typed {@link io.corrosion.jdbc.replication.PayloadException}.</li>
 *   <li>Receive to apply ({@code SqliteChangesetStore.apply}): one transaction per batch on the writer connection:
 *       payloads decoded first (a bad one is {@code REJECTED} before anything is booked), complete versions merged
 *       through the CRR engine, chunks of incomplete ones buffered, changes for missing tables or columns kept, and the
 *       bookkeeping written, so a crash loses nothing and a restart re-applies nothing. A changeset the engine refuses
 *       as malformed is rejected and the batch re-run without it.</li>
 *   <li>Bookkeeping ({@code ReplicationSchema}): per remote site its head, gaps, buffered chunks, last seqs of
 *       versions sent in several chunks, and changes waiting for their schema. In memory it is gossip's
 *       {@code BookedVersions}, published to other threads only after the commit.</li>
 *   <li>Sync ({@code SyncReader}): serves peers' needs from the file in windows of versions: chunks for versions with
 *       changes left, empty runs for versions without, buffered chunks for versions known in part.</li>
 * </ul>
 *
 * <h2>Sharing the file</h2>
 * Every connection of the file waits for another's write lock with a fine-grained handler
 * ({@code io.corrosion.jdbc.LockWait}); the agent's transactions start with {@code BEGIN IMMEDIATE}, are one apply
 * batch long, and retry the begin with back-off while the application holds the lock, on the store thread only. An
 * application writer that waits for the lock an apply holds goes first: the apply commits after the changeset at hand
 * and the next one begins after the writer ({@code TransactionGate}).
 */
package io.corrosion.jdbc.replication;
