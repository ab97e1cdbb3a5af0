package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did, for {@link HistoryChecker}: every write each node acknowledged (its clock entries, in commit order
 * per node), writes whose outcome was unknown, and the faults injected, with the seed that replays it all.
 * Not thread-safe: a simulation records from one thread; a multi-process run records from its driver thread.
 */
public final class History {
    private final long seed;
    private final List<AckedWrite> writes = new ArrayList<>();
    private final Map<String, Long> commits = new HashMap<>();
    private final List<String> events = new ArrayList<>();

    public History(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /**
     * A commit on {@code node} returned: its changes (read back from {@code crsql_changes} by the node's site id and the
     * commit's db version) are acknowledged. A commit that changed nothing (an update to the same value) has none.
     */
    public void acknowledged(String node, List<Change> changes) {
        record(node, changes, true);
    }

    /** A commit whose outcome the application never learned: its changes may or may not survive. */
    public void inFlight(String node, List<Change> changes) {
        record(node, changes, false);
    }

    private void record(String node, List<Change> changes, boolean acknowledged) {
        long index = commits.merge(node, 1L, Long::sum);
        for (Change c : changes) {
            writes.add(new AckedWrite(node, index, c, acknowledged));
        }
    }

    /** A fault or phase of the run, with its (simulated) time, for the report. */
    public void event(long atMillis, String what) {
        events.add(String.format("%8d ms  %s", atMillis, what));
    }

    public List<AckedWrite> writes() {
        return Collections.unmodifiableList(writes);
    }

    public long acknowledgedCount() {
        return writes.stream().filter(AckedWrite::acknowledged).count();
    }

    public List<String> events() {
        return Collections.unmodifiableList(events);
    }
}
