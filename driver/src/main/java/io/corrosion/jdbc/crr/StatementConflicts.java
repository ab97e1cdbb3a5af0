package io.corrosion.jdbc.crr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the UNIQUE checks of CRRs resolve a collision ({@link UniqueChecks}): the conflict clause and UPSERT of the
 * top-level statement running on the connection, and those of the statements of trigger bodies running inside it.
 * Each body statement with an {@code OR} clause or an {@code ON CONFLICT} is bracketed at CREATE TRIGGER by calls that
 * push and pop a frame ({@code crsql_internal_conflict_push}/{@code _pop}), so the frames are the body statements of
 * the current chain of triggers, outermost first. A body statement that fails skips its pop: the frames are cleared
 * when the next top-level statement starts.
 */
final class StatementConflicts {
    /** A body statement's clause (null: none) and UPSERT target (lower case; null: no UPSERT). */
    private record Frame(String resolution, String upsertTable, boolean upsertIgnoresAny) {}

    private String resolution;
    private String upsertTable;
    private boolean upsertIgnoresAny;
    private final List<Frame> frames = new ArrayList<>();

    /** A top-level statement starts: its OR clause (null: none) and the table of its UPSERT (null: none). */
    void statement(String resolution, String upsertTable, boolean upsertIgnoresAny) {
        this.resolution = resolution;
        this.upsertTable = lower(upsertTable);
        this.upsertIgnoresAny = upsertIgnoresAny;
        if (!frames.isEmpty()) {
            frames.clear();
        }
    }

    void push(String resolution, String upsertTable, boolean upsertIgnoresAny) {
        frames.add(new Frame(resolution, lower(upsertTable), upsertIgnoresAny));
    }

    void pop() {
        if (!frames.isEmpty()) {
            frames.remove(frames.size() - 1);
        }
    }

    /**
     * ABORT, FAIL, IGNORE, REPLACE or ROLLBACK: as SQLite, the outermost explicit clause of the statements that led to
     * the write (the top-level statement's, else the outermost body statement's), ABORT if none has one.
     */
    String resolution() {
        if (resolution != null) {
            return resolution;
        }
        for (Frame f : frames) {
            if (f.resolution() != null) {
                return f.resolution();
            }
        }
        return "ABORT";
    }

    /**
     * 0 if the statement writing is no UPSERT into {@code table}, 1 if it is, 2 if its last clause is
     * {@code ON CONFLICT DO NOTHING} without a target. The statement writing is the innermost bracketed body statement,
     * else the top-level one (a plain statement in a trigger it fires counts as it, as before).
     */
    long upsert(String table) {
        String upsert = upsertTable;
        boolean ignoresAny = upsertIgnoresAny;
        if (!frames.isEmpty()) {
            Frame f = frames.get(frames.size() - 1);
            upsert = f.upsertTable();
            ignoresAny = f.upsertIgnoresAny();
        }
        return upsert == null || !upsert.equals(lower(table)) ? 0L : ignoresAny ? 2L : 1L;
    }

    private static String lower(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }
}
