package io.corrosion.jdbc.crr;

/**
 * Per-connection transaction state, the Java side of cr-sqlite's ext_data: the db version the current transaction
 * writes under, the next seq, the HLC timestamp for local writes, whether writes are captured (off while a merge
 * writes) and the rows the merges of this transaction impacted. Reset by the commit and rollback hooks.
 */
final class TxState {
    /** 0 while the transaction has not written a local change yet. */
    long pendingDbVersion;
    long seq;
    /** The first seq the last captured row took (the capture triggers' slow path reads it). */
    long lastSeq;
    String ts = "0";
    boolean capturing = true;
    /** The conflict clauses and UPSERTs of the statements running now, for the UNIQUE checks. */
    final StatementConflicts conflicts = new StatementConflicts();
    long rowsImpacted;
    /** Per transaction caches of the merge path (cr-sqlite keeps the same per transaction). */
    Boolean mergeEqualValues;
    boolean catalogChecked;
    final java.util.Map<java.nio.ByteBuffer, Long> recordedDbVersions = new java.util.HashMap<>();
    /** The rows this transaction wrote locally, for the version log. */
    final Touched touched = new Touched();
    /** The local floor was recorded in this transaction. */
    boolean floorRecorded;
    /** The journal watermark this transaction wrote with the entries it carried into the log; 0 if none. */
    long flushedUpTo;
    /**
     * While {@link CrrSession#changes} reads: the local versions it asks for ({@code readFrom > readTo} when it asks
     * for another site's), so the journal turns only those of its entries into JSON. Otherwise 0 and MAX_VALUE.
     */
    long readFrom;
    long readTo = Long.MAX_VALUE;
    /**
     * The connection's owner began this transaction ({@link CrrSession#beginImmediate}): work that needs one runs in a
     * savepoint without first trying a BEGIN that fails (sqlite-jdbc's auto-commit flag does not know of it, and a
     * failed statement costs an exception with a formatted message).
     */
    boolean begunByOwner;
    /** Tables this transaction made CRRs, lower-case: a DROP TABLE after one may be a rebuild's ({@link Rebuilds}). */
    final java.util.Set<String> created = new java.util.HashSet<>();
    /** CRRs this transaction renamed: lower-case name now to the name it had before ({@link Rebuilds}). */
    final java.util.Map<String, String> renamedFrom = new java.util.HashMap<>();
    /**
     * Tables this transaction dropped that a rebuild may carry the clocks of, by lower-case name ({@link Rebuilds}); an
     * entry stands while its temporary tables exist (a rollback to a savepoint takes them, or brings them back).
     */
    final java.util.Map<String, Rebuilds.Held> held = new java.util.HashMap<>();
    /** Held tables no rename took before the transaction ended: dropped once the connection is idle. */
    final java.util.List<Rebuilds.Held> heldUnused = new java.util.ArrayList<>();

    long nextSeq() {
        return seq++;
    }

    /** Commit and rollback both end the local version; only a commit resets rows impacted, as in cr-sqlite. */
    void endTransaction(boolean committed) {
        pendingDbVersion = 0;
        seq = 0;
        mergeEqualValues = null;
        catalogChecked = false;
        recordedDbVersions.clear();
        touched.clear();
        floorRecorded = false;
        flushedUpTo = 0;
        begunByOwner = false;
        created.clear();
        renamedFrom.clear();
        if (!held.isEmpty()) {
            heldUnused.addAll(held.values());
            held.clear();
        }
        if (committed) {
            rowsImpacted = 0;
        }
    }
}
