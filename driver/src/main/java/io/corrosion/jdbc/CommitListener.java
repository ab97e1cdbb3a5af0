package io.corrosion.jdbc;

import java.util.List;
import java.util.Map;

/**
 * Told about every local transaction of a database file that wrote replicated tables, once it is durable: the hand-off
 * from the CRR engine to whatever ships changes (the replication agent, a change feed); and, if it wants
 * ({@link #merged}), about the changes of other nodes the application merged itself.
 *
 * <p>Called on the file's background thread, one commit at a time, in db version order, after the commit is durable
 * and its version is readable on any connection ({@link CrrApi#changes} with the local site id and the version gives
 * its changes). A version may have no rows left to read if later writes overwrote them all. Listeners must be quick
 * (hand work to another thread) and must not throw; a thrown exception is logged and the next commit is delivered.
 */
@FunctionalInterface
public interface CommitListener {

    /**
     * One committed local transaction.
     *
     * @param dbVersion its db version
     * @param rows      the rows it wrote (inserted, updated or deleted), by table, as packed primary keys
     *                  ({@link Change#pk()})
     */
    record Commit(long dbVersion, Map<String, List<byte[]>> rows) {
        public Commit {
            rows = Map.copyOf(rows);
        }
    }

    void committed(Commit commit);

    /**
     * Changes of another node that the application merged itself ({@link CrrApi#applyChanges}, {@code INSERT INTO
     * crsql_changes}), one call per origin version, once the transaction that merged them committed. Called on the
     * thread that committed, right after the call that committed returned; must be quick and must not throw. The
     * replication agent's own merges are not reported here (it tells of them itself). Nothing by default.
     *
     * @param siteId       the origin's site id
     * @param dbVersion    the version at the origin
     * @param rows         the rows its merged changes name, by table, as packed primary keys ({@link Change#pk()})
     * @param rowsImpacted the rows merging them changed here (0: every change lost to newer ones this node had)
     */
    record Merge(byte[] siteId, long dbVersion, Map<String, List<byte[]>> rows, long rowsImpacted) {
        public Merge {
            siteId = siteId.clone();
            rows = Map.copyOf(rows);
        }
    }

    default void merged(Merge merge) {
    }

    /**
     * Whether {@link #merged} wants the application's merges: false by default, so that the merges of a file whose
     * listeners only ship local commits (the replication agent) are not gathered for nothing.
     */
    default boolean hearsMerges() {
        return false;
    }
}
