package io.corrosion.jdbc.replication;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The agent's durable bookkeeping, in the database file beside the data it describes, so that one transaction
 * applies a batch of changesets and records it. Sites are their 16-byte ids. Every table is internal
 * ({@code __corrosion_}): hidden from metadata and never replicated.
 * <ul>
 *   <li>{@link #HEADS}: per remote site, the highest version seen.</li>
 *   <li>{@link #GAPS}: per remote site, the version ranges below the head never seen ({@code first..last}).</li>
 *   <li>{@link #BUFFER}: chunks of versions seen in part, as received (payload and seq range), until the version
 *       is complete; they are also the partial-version bookkeeping.</li>
 *   <li>{@link #LAST_SEQS}: a version's last seq where its changes alone no longer tell it (it came or went in
 *       several chunks, or its last changes were missing), so it is served later with the seq range peers expect.</li>
 *   <li>{@link #PENDING}: changes for tables or columns this node does not have yet, until the schema arrives.</li>
 * </ul>
 * A version is known when it is at most the head, in no gap and not buffered. Local versions need no bookkeeping:
 * the CRR engine's db version says which exist.
 */
final class ReplicationSchema {
    static final String HEADS = "__corrosion_heads";
    static final String GAPS = "__corrosion_gaps";
    static final String BUFFER = "__corrosion_buffer";
    static final String LAST_SEQS = "__corrosion_last_seqs";
    static final String PENDING = "__corrosion_pending";

    private ReplicationSchema() {}

    /** Creates the tables if they do not exist. */
    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + HEADS
                    + " (site BLOB NOT NULL PRIMARY KEY, head INTEGER NOT NULL) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS " + GAPS + " (site BLOB NOT NULL, first INTEGER NOT NULL,"
                    + " last INTEGER NOT NULL, PRIMARY KEY (site, first)) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS " + BUFFER + " (site BLOB NOT NULL, version INTEGER NOT NULL,"
                    + " start_seq INTEGER NOT NULL, end_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
                    + " ts INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (site, version, start_seq)) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS " + LAST_SEQS + " (site BLOB NOT NULL, version INTEGER NOT NULL,"
                    + " last_seq INTEGER NOT NULL, PRIMARY KEY (site, version)) WITHOUT ROWID");
            // val has no declared type: BLOB affinity keeps every value exactly as it came.
            s.execute("CREATE TABLE IF NOT EXISTS " + PENDING + " (site BLOB NOT NULL, db_version INTEGER NOT NULL,"
                    + " seq INTEGER NOT NULL, tbl TEXT NOT NULL, pk BLOB NOT NULL, cid TEXT NOT NULL, val,"
                    + " col_version INTEGER NOT NULL, cl INTEGER NOT NULL, ts TEXT NOT NULL,"
                    + " PRIMARY KEY (site, db_version, seq, tbl, pk, cid)) WITHOUT ROWID");
        }
    }
}
