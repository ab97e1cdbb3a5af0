package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.TriggerConflictRewrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the UNIQUE checks of CRRs resolve a collision ({@link UniqueChecks}): the conflict clause and UPSERT of the
 * top-level statement running on the connection, and those of the statements of trigger bodies running inside it.
 * Each body statement with an {@code OR} clause or an {@code ON CONFLICT} is bracketed at CREATE TRIGGER by calls that
 * push and pop a frame ({@code crsql_internal_conflict_push}/{@code _pop}), so the frames are the body statements of
 * the current chain of triggers, outermost first. A body statement that fails skips its pop: the frames are cleared
 * when the next top-level statement starts. One that a RAISE(IGNORE) abandons skips it too, and the statement goes on:
 * the next pop or push of an enclosing or the same bracket takes its frame away (TriggerConflictRewrite).
 */
final class StatementConflicts {
    /**
     * A body statement's clause (null: none) and UPSERT target (lower case; null: no UPSERT); {@code id} names its
     * bracket in the file's triggers. {@code abortsAll}: its trigger was fired by an UPSERT's DO UPDATE, which SQLite
     * runs with ABORT, and so everything it fires.
     */
    private record Frame(String resolution, String upsertTable, boolean upsertIgnoresAny, String id, boolean abortsAll) {}

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

    /**
     * A bracketed body statement starts; a frame of the same bracket still there was left by a RAISE(IGNORE).
     * {@code updateTrigger}: its trigger fires on UPDATE, so the statement that fired it, if an UPSERT (every write of
     * a trigger body is bracketed: the innermost frame, else the top-level statement), did so by its DO UPDATE.
     */
    void push(String resolution, String upsertTable, boolean upsertIgnoresAny, String id, boolean updateTrigger) {
        popTo(id);
        if (TriggerConflictRewrite.DELETE_BARRIER.equals(resolution)) {
            frames.add(new Frame(resolution, null, false, id, false));
            return;
        }
        boolean firedByUpsert = frames.isEmpty() ? this.upsertTable != null : frames.get(frames.size() - 1).upsertTable() != null;
        boolean abortsAll = updateTrigger && firedByUpsert || !frames.isEmpty() && frames.get(frames.size() - 1).abortsAll();
        frames.add(new Frame(resolution, lower(upsertTable), upsertIgnoresAny, id, abortsAll));
    }

    /** The bracketed body statement {@code id} ended: its frame goes, with any a RAISE(IGNORE) left above it. */
    void pop(String id) {
        popTo(id);
    }

    private void popTo(String id) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).id().equals(id)) {
                frames.subList(i, frames.size()).clear();
                return;
            }
        }
    }

    /**
     * ABORT, FAIL, IGNORE, REPLACE or ROLLBACK: as SQLite, the outermost explicit clause of the statements that led to
     * the write (the top-level statement's, else the outermost body statement's), ABORT if none has one.
     */
    String resolution() {
        return resolution("ABORT");
    }

    /** As {@link #resolution()}, but {@code constraints} (a UNIQUE constraint's own ON CONFLICT) if none has one. */
    String resolution(String constraints) {
        if (!frames.isEmpty() && frames.get(frames.size() - 1).abortsAll()) {
            return "ABORT";
        }
        int below = frames.size(); // the frames below the innermost DELETE, which passes no clause down
        while (below > 0 && !TriggerConflictRewrite.DELETE_BARRIER.equals(frames.get(below - 1).resolution())) {
            below--;
        }
        if (below == 0 && resolution != null) {
            return resolution;
        }
        for (Frame f : frames.subList(below, frames.size())) {
            if (f.resolution() != null) {
                return f.resolution();
            }
        }
        return constraints;
    }

    /**
     * 0 if the statement writing is no UPSERT into {@code table}, 1 if it is, 2 if its last clause is
     * {@code ON CONFLICT DO NOTHING} without a target. The statement writing is the innermost bracketed body statement,
     * else the top-level one (every write of a trigger body made through the driver is bracketed; one of a trigger
     * made without it counts as what fired the trigger).
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
