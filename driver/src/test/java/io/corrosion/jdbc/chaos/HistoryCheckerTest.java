package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checker is proven able to fail: hand-made histories that lose, invent or diverge must be caught. */
class HistoryCheckerTest {
    private static final byte[] A = site(0xA);
    private static final byte[] B = site(0xB);
    private static final byte[] PK1 = PackedColumns.pack(1L);
    private static final byte[] PK2 = PackedColumns.pack(2L);

    private static byte[] site(int b) {
        byte[] s = new byte[16];
        s[15] = (byte) b;
        return s;
    }

    private static Change col(byte[] pk, String cid, Object val, long colVersion, byte[] site, long dbVersion,
            long cl, long seq) {
        return new Change("kv", pk, cid, val, colVersion, dbVersion, site, cl, seq);
    }

    private static Change sentinel(byte[] pk, long cl, byte[] site, long dbVersion, long seq) {
        return new Change("kv", pk, Change.SENTINEL, null, cl, dbVersion, site, cl, seq);
    }

    /** A insert row 1 (v=a1), B updates it (v=b1, col version 2), A inserts row 2 then deletes it. */
    private static final Change A_INSERT_1 = col(PK1, "v", "a1", 1, A, 1, 1, 0);
    private static final Change B_UPDATE_1 = col(PK1, "v", "b1", 2, B, 1, 1, 0);
    private static final Change A_INSERT_2 = col(PK2, "v", "a2", 1, A, 2, 1, 0);
    private static final Change A_DELETE_2 = sentinel(PK2, 2, A, 3, 0);

    private static History history() {
        History h = new History(42);
        h.acknowledged("a", List.of(A_INSERT_1));
        h.acknowledged("b", List.of(B_UPDATE_1));
        h.acknowledged("a", List.of(A_INSERT_2));
        h.acknowledged("a", List.of(A_DELETE_2));
        h.event(0, "test history");
        return h;
    }

    private static ReplicaState state(String node, Map<String, Object> rows, Change... changes) {
        Map<String, Map<String, Map<String, Object>>> tables = new TreeMap<>();
        Map<String, Map<String, Object>> kv = new TreeMap<>();
        rows.forEach((pk, v) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("v", v);
            kv.put(pk, row);
        });
        tables.put("kv", kv);
        return new ReplicaState(node, tables, new ArrayList<>(List.of(changes)));
    }

    private static ReplicaState converged(String node) {
        return state(node, Map.of(ReplicaState.pkKey(PK1), "b1"), B_UPDATE_1, A_DELETE_2);
    }

    @Test
    void aConvergedClusterWithSupersededWritesPasses() {
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(converged("a"), converged("b")));
        assertThat(r.violations()).isEmpty();
        assertThat(r.report()).contains("seed 42", "4 acknowledged writes", "OK");
    }

    @Test
    void aLostWriteIsCaught() {
        // Node b never got B's update merged back over A's insert: B's acknowledged update is lost.
        ReplicaState lost = state("b", Map.of(ReplicaState.pkKey(PK1), "a1"), A_INSERT_1, A_DELETE_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(lost));
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.LOST_WRITE);
        assertThat(r.report()).contains("LOST_WRITE", "b1", "history of kv[1].v", "faults and phases");
    }

    @Test
    void aLostDeleteIsCaught() {
        ReplicaState resurrected = state("a", Map.of(ReplicaState.pkKey(PK1), "b1", ReplicaState.pkKey(PK2), "a2"),
                B_UPDATE_1, A_INSERT_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(resurrected));
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.LOST_WRITE);
        assertThat(r.violations().get(0).key()).isEqualTo("kv[2].-1");
    }

    @Test
    void aPhantomRowIsCaught() {
        Change invented = col(PackedColumns.pack(3L), "v", "ghost", 1, B, 7, 1, 0);
        ReplicaState phantom = state("a", Map.of(ReplicaState.pkKey(PK1), "b1", ReplicaState.pkKey(
                PackedColumns.pack(3L)), "ghost"), B_UPDATE_1, A_DELETE_2, invented);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(phantom));
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.PHANTOM);
        assertThat(r.violations().get(0).detail()).contains("no recorded write", "ghost");
    }

    @Test
    void aRowWithoutAnyClockIsAPhantom() {
        ReplicaState phantom = state("a", Map.of(ReplicaState.pkKey(PK1), "b1", ReplicaState.pkKey(
                PackedColumns.pack(9L)), "nobody"), B_UPDATE_1, A_DELETE_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(phantom));
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.PHANTOM);
        assertThat(r.violations().get(0).detail()).contains("has no live clock");
    }

    @Test
    void aValueThatNoWriteWroteIsAPhantomEvenWithARealClock() {
        Change altered = col(PK1, "v", "b1-altered", 2, B, 1, 1, 0);
        ReplicaState phantom = state("a", Map.of(ReplicaState.pkKey(PK1), "b1-altered"), altered, A_DELETE_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(phantom));
        assertThat(r.violations()).extracting(Violation::kind).contains(Violation.Kind.PHANTOM);
    }

    @Test
    void aDivergedNodeIsCaught() {
        ReplicaState stale = state("b", Map.of(ReplicaState.pkKey(PK1), "a1", ReplicaState.pkKey(PK2), "a2"),
                A_INSERT_1, A_INSERT_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(converged("a"), stale));
        assertThat(r.violations()).extracting(Violation::kind).contains(Violation.Kind.DIVERGED,
                Violation.Kind.LOST_WRITE);
        assertThat(r.violations()).filteredOn(v -> v.kind() == Violation.Kind.DIVERGED).extracting(Violation::node)
                .containsOnly("b");
    }

    @Test
    void aTableThatDisagreesWithItsClockIsCaught() {
        ReplicaState mismatch = state("a", Map.of(ReplicaState.pkKey(PK1), "zzz"), B_UPDATE_1, A_DELETE_2);
        HistoryChecker.Result r = HistoryChecker.check(history(), List.of(mismatch));
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.TABLE_MISMATCH);
    }

    @Test
    void aLaterLocalCommitThatDoesNotSupersedeTheEarlierIsCaught() {
        History h = new History(7);
        h.acknowledged("a", List.of(col(PK1, "v", "x", 2, A, 1, 1, 0)));
        h.acknowledged("a", List.of(col(PK1, "v", "y", 2, A, 2, 1, 0)));
        HistoryChecker.Result r = HistoryChecker.check(h, List.of());
        assertThat(r.violations()).extracting(Violation::kind).containsExactly(Violation.Kind.CAUSALITY);
    }

    @Test
    void aTieKeptWithAnotherOriginIsNotDivergence() {
        // Both nodes deleted row 2 to causal length 2; each keeps the sentinel it had first, as cr-sqlite does.
        Change bDelete2 = sentinel(PK2, 2, B, 2, 0);
        History h = history();
        h.acknowledged("b", List.of(bDelete2));
        HistoryChecker.Result r = HistoryChecker.check(h, List.of(converged("a"),
                state("b", Map.of(ReplicaState.pkKey(PK1), "b1"), B_UPDATE_1, bDelete2)));
        assertThat(r.violations()).isEmpty();
        assertThat(r.summary()).contains("1 equal-outcome ties");
    }

    @Test
    void aSentinelCreatedByAnOutOfOrderColumnChangeTracesToIt() {
        // B deletes row 1 (cl 2), A re-inserts it (cl 3), B updates it (cl 3). A node that gets B's update first
        // resurrects the row with a sentinel carrying the update's origin, then ignores A's equal sentinel.
        Change bDelete = sentinel(PK1, 2, B, 2, 0);
        Change aReinsert = sentinel(PK1, 3, A, 4, 0);
        Change aValue = col(PK1, "v", "a3", 1, A, 4, 3, 1);
        Change bUpdate = col(PK1, "v", "b3", 2, B, 3, 3, 0);
        History h = new History(9);
        h.acknowledged("b", List.of(bDelete));
        h.acknowledged("a", List.of(aReinsert, aValue));
        h.acknowledged("b", List.of(bUpdate));
        Change synthesized = sentinel(PK1, 3, B, 3, 0);
        ReplicaState c = state("c", Map.of(ReplicaState.pkKey(PK1), "b3"), synthesized, bUpdate);
        assertThat(HistoryChecker.check(h, List.of(c)).violations()).isEmpty();

        Change wrongCl = sentinel(PK1, 5, B, 3, 0);
        ReplicaState bad = state("c", Map.of(ReplicaState.pkKey(PK1), "b3"), wrongCl, bUpdate);
        assertThat(HistoryChecker.check(h, List.of(bad)).violations()).extracting(Violation::kind)
                .contains(Violation.Kind.PHANTOM);
    }

    @Test
    void aSentinelCreatedByARelayedColumnChangeOfAnOlderLifeTracesToIt() {
        // B updates row 1 in its first life (cl 1). A deletes and re-inserts it (cl 3). A node that merged A's
        // resurrect relays B's update with the row's cl now (3); a node that never saw the resurrect then brings the
        // row to cl 3 with a sentinel carrying B's update's origin (seed 681 of the whole-system simulation).
        Change bUpdate = col(PK1, "v", "b1", 2, B, 1, 1, 0);
        Change aDelete = sentinel(PK1, 2, A, 2, 0);
        Change aReinsert = sentinel(PK1, 3, A, 3, 0);
        Change aValue = col(PK1, "v", "a3", 1, A, 3, 3, 1);
        History h = new History(681);
        h.acknowledged("a", List.of(A_INSERT_1));
        h.acknowledged("b", List.of(bUpdate));
        h.acknowledged("a", List.of(aDelete));
        h.acknowledged("a", List.of(aReinsert, aValue));
        Change relabeled = sentinel(PK1, 3, B, 1, 0);
        ReplicaState c = state("c", Map.of(ReplicaState.pkKey(PK1), "a3"), relabeled, aValue);
        assertThat(HistoryChecker.check(h, List.of(c)).violations()).isEmpty();

        Change unknownLife = sentinel(PK1, 7, B, 1, 0);
        assertThat(HistoryChecker.check(h, List.of(state("c", Map.of(ReplicaState.pkKey(PK1), "a3"), unknownLife,
                aValue))).violations()).extracting(Violation::kind).contains(Violation.Kind.PHANTOM);
    }

    @Test
    void inFlightWritesMayBeAbsentButExplainWhatIsPresent() {
        Change maybe = col(PK1, "v", "maybe", 3, A, 4, 1, 0);
        History h = history();
        h.inFlight("a", List.of(maybe));
        assertThat(HistoryChecker.check(h, List.of(converged("a"))).violations()).isEmpty();
        assertThat(HistoryChecker.check(h, List.of(state("a", Map.of(ReplicaState.pkKey(PK1), "maybe"), maybe,
                A_DELETE_2))).violations()).isEmpty();
    }
}
