package io.corrosion.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * What the CRR engine offers through a connection, beside SQL: the Java side of cr-sqlite's {@code crsql_site_id()},
 * {@code crsql_db_version()} and {@code crsql_changes}. {@link CorrosionConnection} extends it; reach it with
 * {@code connection.unwrap(CorrosionConnection.class)}.
 *
 * <p>Reads run in the connection's current transaction, if one is open, and see its uncommitted writes, as SQL on the
 * same connection would. {@link #applyChanges} joins the open transaction or runs in one of its own.
 */
public interface CrrApi {

    /** This database file's site id: 16 bytes, created once per file and kept in it ({@code crsql_site_id()}). */
    byte[] siteId() throws SQLException;

    /**
     * The db version of the last local transaction that committed ({@code crsql_db_version()}): one value per
     * committed transaction that wrote a replicated table; merged changes do not move it.
     */
    long dbVersion() throws SQLException;

    /**
     * Every change with {@code db_version > dbVersion}, of every site this node has changes of, ordered by db version
     * and seq. {@code changesSince(0)} is the whole replicated state.
     */
    List<Change> changesSince(long dbVersion) throws SQLException;

    /**
     * The changes of one site whose db version lies in {@code [fromDbVersion, toDbVersion]}, ordered by db version and
     * seq: what a peer asks for when it syncs. A version whose changes were all overwritten since has none left.
     */
    List<Change> changes(byte[] siteId, long fromDbVersion, long toDbVersion) throws SQLException;

    /**
     * Merges changes exactly as {@code INSERT INTO crsql_changes} does, atomically: all or none. Inside an open
     * transaction it joins it (a failure undoes only these changes); otherwise it commits them in one transaction.
     * Returns the rows impacted ({@code crsql_rows_impacted()}): winning column changes, deletes and resurrections.
     * Like the replication agent's merges, it checks neither foreign keys nor CHECK constraints and runs no foreign-key
     * actions (a cascade would delete rows without a change for other nodes): on a connection with
     * {@code foreign_keys} on it turns them off for its own transaction, and inside an open transaction, where SQLite
     * cannot turn them off, it is refused (SQLState 0A000).
     *
     * @throws MissingSchemaException if a change names a table or column this node does not have (nothing merged)
     * @throws SQLException           SQLState 22023 for a malformed change (bad packed key, the node's own site id);
     *                                0A000 in a transaction on a connection with {@code foreign_keys} on
     */
    long applyChanges(List<Change> changes) throws SQLException;

    /** The tables of this file that are CRRs, by name. */
    List<String> replicatedTables() throws SQLException;

    /**
     * Registers a listener for the file's local commits (every connection's, not only this one's). See
     * {@link CommitListener} for when and where it is called. Closing the returned handle unregisters it.
     */
    AutoCloseable addCommitListener(CommitListener listener);

    /** The API of a database without a CRR engine: every method fails with SQLState 0A000. */
    CrrApi NONE = new CrrApi() {
        private SQLException unsupported() {
            return new SQLException("This database has no CRR engine", SqlErrors.FEATURE_NOT_SUPPORTED);
        }

        @Override
        public byte[] siteId() throws SQLException {
            throw unsupported();
        }

        @Override
        public long dbVersion() throws SQLException {
            throw unsupported();
        }

        @Override
        public List<Change> changesSince(long dbVersion) throws SQLException {
            throw unsupported();
        }

        @Override
        public List<Change> changes(byte[] siteId, long fromDbVersion, long toDbVersion) throws SQLException {
            throw unsupported();
        }

        @Override
        public long applyChanges(List<Change> changes) throws SQLException {
            throw unsupported();
        }

        @Override
        public List<String> replicatedTables() throws SQLException {
            throw unsupported();
        }

        @Override
        public AutoCloseable addCommitListener(CommitListener listener) {
            throw new UnsupportedOperationException("This database has no CRR engine");
        }
    };
}
