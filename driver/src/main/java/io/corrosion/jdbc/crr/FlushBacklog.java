package io.corrosion.jdbc.crr;

/**
 * What waits above the flushed watermark of a {@link LocalJournal}: how many committed entries, their rows, and when the
 * oldest committed; enough to tell at every transaction's first write, from counters only, whether that transaction
 * should carry them into the log ({@link #due}). Guarded by the journal's monitor.
 */
final class FlushBacklog {
    private int versions;
    private long rows;
    /** When the oldest entry waiting committed ({@link System#nanoTime}); meaningless while none waits. */
    private long oldestAt;

    /** A committed entry above the watermark. */
    void add(JournalEntry e) {
        if (versions++ == 0) {
            oldestAt = e.committedAt;
        }
        rows += e.rowCount;
    }

    /** Counts again the entries above {@code watermark}, after it moved. */
    void recount(VersionQueue<JournalEntry> entries, long watermark) {
        versions = 0;
        rows = 0;
        entries.forEachBetween(watermark + 1, Long.MAX_VALUE, this::add);
    }

    /**
     * Once {@link LocalJournal#FLUSH_VERSIONS} transactions or {@link LocalJournal#FLUSH_ROWS} rows wait, or the oldest
     * waited {@link LocalJournal#FLUSH_AGE_NANOS}.
     */
    boolean due(long now) {
        return versions > 0 && (versions >= LocalJournal.FLUSH_VERSIONS || rows >= LocalJournal.FLUSH_ROWS
                || now - oldestAt >= LocalJournal.FLUSH_AGE_NANOS);
    }
}
