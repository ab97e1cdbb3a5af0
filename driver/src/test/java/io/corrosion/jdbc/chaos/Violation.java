package io.corrosion.jdbc.chaos;

/** One way a run broke its promises, found by {@link HistoryChecker}. */
public record Violation(Kind kind, String node, String key, String detail) {

    public enum Kind {
        /** Two nodes ended with different tables or different {@code crsql_changes}. */
        DIVERGED,
        /** An acknowledged write is neither present nor superseded by a winning write. */
        LOST_WRITE,
        /** A value, clock entry or row that no recorded write produced. */
        PHANTOM,
        /** A row in a table without a live clock, or a live clock without its row, or a value the clock does not say. */
        TABLE_MISMATCH,
        /** A node's later commit did not supersede its own earlier write of the same column, or versions went back. */
        CAUSALITY
    }

    @Override
    public String toString() {
        return kind + " on " + node + " at " + key + ": " + detail;
    }
}
