package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.replication.TransactionGate;

/**
 * A connection's transaction as the file's {@link TransactionGate} counts it: from the first statement run with
 * auto-commit off, or in a transaction SQL began ({@code BEGIN} run as a statement), to its end: commit, rollback or
 * close. The gate keeps the agent's merges out of the transaction, so that it never reads a snapshot a merge makes
 * stale before it writes. Two threads sharing the connection tell the gate once.
 */
final class GateTransaction {
    private final TransactionGate gate;
    /** The open transaction as the gate counts it; null when none is open. */
    private volatile TransactionGate.Opened open;

    GateTransaction(TransactionGate gate) {
        this.gate = gate;
    }

    /**
     * A statement is about to run in a transaction (auto-commit off): the first one tells the gate, and waits there
     * for an apply unless the transaction {@code holdsWriteLock} since its BEGIN.
     */
    void statementInTransaction(boolean holdsWriteLock) {
        if (open == null) {
            synchronized (this) {
                if (open == null) {
                    open = holdsWriteLock ? gate.transactionHoldingWriteLock() : gate.transactionStarted();
                }
            }
        }
    }

    /** The transaction ended (commit, rollback, auto-commit switched on, close). */
    void ended() {
        if (open == null) {
            return; // most commits: auto-commit statements never opened one
        }
        TransactionGate.Opened ending;
        synchronized (this) {
            ending = open;
            open = null;
        }
        if (ending != null) {
            gate.transactionEnded(ending);
        }
    }
}
