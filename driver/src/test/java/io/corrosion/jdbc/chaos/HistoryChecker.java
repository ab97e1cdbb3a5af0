package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.SqlValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a run after the cluster healed: every node holds the same tables and the same {@code crsql_changes}; every
 * acknowledged write is present or superseded by a write that wins over it by the CRR rules (a larger causal length:
 * a delete or resurrect; at equal causal length a larger col version, then a larger value in cr-sqlite's order); every
 * clock entry, row and value traces to a recorded write (no phantoms); and each node's own commits supersede its
 * earlier writes of the same column (causality at the origin).
 */
public final class HistoryChecker {
    private HistoryChecker() {}

    /** The verdict, with a report that replays the failure. */
    public record Result(History history, List<Violation> violations, String summary) {
        public boolean ok() {
            return violations.isEmpty();
        }

        /** Everything needed to reproduce and understand a failure: seed, faults, violations, the keys' histories. */
        public String report() {
            StringBuilder b = new StringBuilder();
            b.append("seed ").append(history.seed()).append(": ").append(summary).append('\n');
            if (ok()) {
                return b.toString();
            }
            b.append("violations (").append(violations.size()).append("):\n");
            violations.stream().limit(20).forEach(v -> b.append("  ").append(v).append('\n'));
            Set<String> keys = new TreeSet<>();
            violations.stream().limit(5).forEach(v -> keys.add(v.key()));
            for (String key : keys) {
                b.append("history of ").append(key).append(":\n");
                history.writes().stream().filter(w -> Histories.cellKey(w.change()).startsWith(rowPart(key)))
                        .forEach(w -> b.append("    ").append(w).append('\n'));
            }
            b.append("faults and phases:\n");
            history.events().forEach(e -> b.append("  ").append(e).append('\n'));
            return b.toString();
        }

        private static String rowPart(String key) {
            int dot = key.lastIndexOf('.');
            return dot < 0 ? key : key.substring(0, dot);
        }
    }

    public static Result check(History history, List<ReplicaState> nodes) {
        List<Violation> out = new ArrayList<>();
        checkCausality(history, out);
        int ties = 0;
        for (int i = 1; i < nodes.size(); i++) {
            ties += compare(nodes.get(0), nodes.get(i), out);
        }
        Map<String, AckedWrite> byIdentity = new HashMap<>();
        Set<String> lives = new java.util.HashSet<>();
        for (AckedWrite w : history.writes()) {
            byIdentity.put(w.identity() + "/" + Histories.cellKey(w.change()), w);
            // A column change that reaches a node before the resurrect it belongs to creates the row's sentinel
            // with the column change's origin (cr-sqlite's merge_insert, step 6): that sentinel traces to it.
            Change c = w.change();
            byIdentity.putIfAbsent(w.identity() + "/" + resurrected(c.table(), c.pk()), w);
            lives.add(resurrected(c.table(), c.pk()) + "@cl" + c.cl());
        }
        for (ReplicaState node : nodes) {
            checkNode(node, history, byIdentity, lives, out);
        }
        String summary = nodes.size() + " nodes, " + history.acknowledgedCount() + " acknowledged writes ("
                + (history.writes().size() - history.acknowledgedCount()) + " in flight), "
                + (nodes.isEmpty() ? 0 : nodes.get(0).changes().size()) + " clock entries (" + ties
                + " equal-outcome ties with another origin): "
                + (out.isEmpty() ? "OK" : out.size() + " violations");
        return new Result(history, List.copyOf(out), summary);
    }

    // ---- divergence ------------------------------------------------------------------------------------------

    /** Adds b's differences from a; returns the entries that agree in outcome but not in origin (ties). */
    private static int compare(ReplicaState a, ReplicaState b, List<Violation> out) {
        int ties = 0;
        Map<String, Change> ac = cells(a.changes());
        Map<String, Change> bc = cells(b.changes());
        Set<String> keys = new TreeSet<>(ac.keySet());
        keys.addAll(bc.keySet());
        for (String key : keys) {
            Change x = ac.get(key);
            Change y = bc.get(key);
            if (x == null || y == null || !sameOutcome(x, y)) {
                out.add(new Violation(Violation.Kind.DIVERGED, b.node(), key, a.node() + " has "
                        + (x == null ? "nothing" : Histories.describe(x)) + ", " + b.node() + " has "
                        + (y == null ? "nothing" : Histories.describe(y))));
            } else if (!sameClock(x, y)) {
                ties++;
            }
        }
        Set<String> tables = new TreeSet<>(a.tables().keySet());
        tables.addAll(b.tables().keySet());
        for (String table : tables) {
            Map<String, Map<String, Object>> ar = a.tables().getOrDefault(table, Map.of());
            Map<String, Map<String, Object>> br = b.tables().getOrDefault(table, Map.of());
            Set<String> pks = new TreeSet<>(ar.keySet());
            pks.addAll(br.keySet());
            for (String pk : pks) {
                if (!sameRow(ar.get(pk), br.get(pk))) {
                    out.add(new Violation(Violation.Kind.DIVERGED, b.node(), table + "[" + pk + "]",
                            a.node() + " has row " + show(ar.get(pk)) + ", " + b.node() + " has " + show(br.get(pk))));
                }
            }
        }
        return ties;
    }

    // ---- one node against the history ----------------------------------------------------------------------

    private static void checkNode(ReplicaState node, History history, Map<String, AckedWrite> byIdentity,
            Set<String> lives, List<Violation> out) {
        Map<String, Change> cells = cells(node.changes());
        // Every clock entry traces to a write, with the value that write wrote.
        for (Change c : node.changes()) {
            AckedWrite w = byIdentity.get(AckedWrite.identity(c) + "/" + Histories.cellKey(c));
            if (w == null && c.isSentinel()) {
                w = byIdentity.get(AckedWrite.identity(c) + "/" + resurrected(c.table(), c.pk()));
            }
            if (w == null || (!sameClock(w.change(), c) && c.isSentinel()
                    && !resurrects(w.change(), c, lives))) {
                out.add(new Violation(Violation.Kind.PHANTOM, node.node(), Histories.cellKey(c),
                        "no recorded write made " + Histories.describe(c)));
            } else if (!sameClock(w.change(), c) && !c.isSentinel()) {
                out.add(new Violation(Violation.Kind.PHANTOM, node.node(), Histories.cellKey(c),
                        Histories.describe(c) + " does not match the write " + w));
            }
        }
        // Every acknowledged write is present or superseded.
        for (AckedWrite w : history.writes()) {
            if (!w.acknowledged()) {
                continue;
            }
            String why = lostBecause(w.change(), cells);
            if (why != null) {
                out.add(new Violation(Violation.Kind.LOST_WRITE, node.node(), Histories.cellKey(w.change()),
                        "acknowledged " + w + " " + why));
            }
        }
        checkTables(node, cells, out);
    }

    private static String resurrected(String table, byte[] pk) {
        return Histories.rowKey(table, pk) + "." + Change.SENTINEL + "/resurrected";
    }

    /**
     * Whether {@code sentinel} is one a merge of {@code column} created to bring its row back to life: the sentinel
     * carries the column change's origin and a causal length some write of the row had. The column change itself
     * may show an older life's causal length: {@code crsql_changes} reports a column's cl as its row's cl now, so a
     * change relayed by a node that merged the resurrect (but not yet the resurrecting write's columns) carries it.
     */
    private static boolean resurrects(Change column, Change sentinel, Set<String> lives) {
        return !column.isSentinel() && sentinel.colVersion() == sentinel.cl()
                && column.table().equals(sentinel.table()) && java.util.Arrays.equals(column.pk(), sentinel.pk())
                && lives.contains(resurrected(sentinel.table(), sentinel.pk()) + "@cl" + sentinel.cl());
    }

    /** Null if the write is present or superseded in the node's clocks; else why it is lost. */
    private static String lostBecause(Change w, Map<String, Change> cells) {
        long rowCl = rowCl(w, cells);
        if (rowCl < w.cl()) {
            return "but the row's causal length is only " + rowCl;
        }
        if (rowCl > w.cl() || w.isSentinel()) {
            return null; // a later life of the row (or this one, for a sentinel) supersedes it
        }
        Change f = cells.get(Histories.cellKey(w));
        if (f == null) {
            return "but the column has no clock entry";
        }
        if (f.colVersion() != w.colVersion()) {
            return f.colVersion() > w.colVersion() ? null : "but a lower col version won: " + Histories.describe(f);
        }
        return SqlValues.compare(f.val(), w.val()) >= 0 ? null
                : "but a smaller value won at the same col version: " + Histories.describe(f);
    }

    /** The row's causal length: its sentinel's, else 1 if it has any clock entry, else 0 (cr-sqlite's rule). */
    private static long rowCl(Change w, Map<String, Change> cells) {
        String row = Histories.rowKey(w.table(), w.pk());
        Change sentinel = cells.get(row + "." + Change.SENTINEL);
        if (sentinel != null) {
            return sentinel.colVersion();
        }
        for (String key : cells.keySet()) {
            if (key.startsWith(row + ".")) {
                return 1;
            }
        }
        return 0;
    }

    /** Rows and live clocks agree, value for value. */
    private static void checkTables(ReplicaState node, Map<String, Change> cells, List<Violation> out) {
        Map<String, Map<String, Change>> liveRows = new LinkedHashMap<>();
        for (Change c : node.changes()) {
            if (c.cl() % 2 == 1) {
                liveRows.computeIfAbsent(c.table() + "[" + ReplicaState.pkKey(c.pk()) + "]", k -> new LinkedHashMap<>())
                        .put(c.cid(), c);
            }
        }
        for (Map.Entry<String, Map<String, Map<String, Object>>> table : node.tables().entrySet()) {
            for (Map.Entry<String, Map<String, Object>> row : table.getValue().entrySet()) {
                String key = table.getKey() + "[" + row.getKey() + "]";
                Map<String, Change> clocks = liveRows.remove(key);
                if (clocks == null) {
                    out.add(new Violation(Violation.Kind.PHANTOM, node.node(), key,
                            "row " + show(row.getValue()) + " has no live clock"));
                    continue;
                }
                for (Map.Entry<String, Object> col : row.getValue().entrySet()) {
                    Change c = clocks.get(col.getKey());
                    if (c != null && !SqlValues.same(c.val(), col.getValue())) {
                        out.add(new Violation(Violation.Kind.TABLE_MISMATCH, node.node(), key + "." + col.getKey(),
                                "table holds " + SqlValues.show(col.getValue()) + ", its clock says "
                                        + Histories.describe(c)));
                    }
                }
            }
        }
        for (String missing : liveRows.keySet()) {
            out.add(new Violation(Violation.Kind.TABLE_MISMATCH, node.node(), missing,
                    "live clock entries but no row in the table"));
        }
    }

    // ---- causality at the origin ---------------------------------------------------------------------------

    private static void checkCausality(History history, List<Violation> out) {
        Map<String, AckedWrite> lastByCell = new HashMap<>();
        Map<String, AckedWrite> lastByNode = new HashMap<>();
        for (AckedWrite w : history.writes()) {
            AckedWrite prevCommit = lastByNode.put(w.node(), w);
            if (prevCommit != null && prevCommit.commitIndex() < w.commitIndex()
                    && prevCommit.change().dbVersion() >= w.change().dbVersion()) {
                out.add(new Violation(Violation.Kind.CAUSALITY, w.node(), Histories.cellKey(w.change()),
                        "db version did not advance: " + prevCommit + " then " + w));
            }
            String cell = w.node() + "/" + Histories.cellKey(w.change());
            AckedWrite prev = lastByCell.put(cell, w);
            if (prev != null && prev.commitIndex() < w.commitIndex() && !laterWins(prev.change(), w.change())) {
                out.add(new Violation(Violation.Kind.CAUSALITY, w.node(), Histories.cellKey(w.change()),
                        "a later commit does not supersede the earlier: " + prev + " then " + w));
            }
        }
    }

    private static boolean laterWins(Change earlier, Change later) {
        if (later.cl() != earlier.cl()) {
            return later.cl() > earlier.cl();
        }
        return later.colVersion() > earlier.colVersion();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, Change> cells(List<Change> changes) {
        Map<String, Change> out = new LinkedHashMap<>();
        for (Change c : changes) {
            out.put(Histories.cellKey(c), c);
        }
        return out;
    }

    /**
     * Same merge outcome: value, col version and causal length. The origin may differ only where cr-sqlite leaves it
     * to arrival order: two sites deleting (or resurrecting) a row to the same causal length, or writing the same value
     * at the same col version without {@code merge-equal-values}; each node keeps the one it had first.
     */
    static boolean sameOutcome(Change a, Change b) {
        return a.table().equals(b.table()) && java.util.Arrays.equals(a.pk(), b.pk()) && a.cid().equals(b.cid())
                && SqlValues.same(a.val(), b.val()) && a.colVersion() == b.colVersion() && a.cl() == b.cl();
    }

    /** Same clock entry: value, versions, origin; the HLC timestamp is not compared. */
    static boolean sameClock(Change a, Change b) {
        return a.table().equals(b.table()) && java.util.Arrays.equals(a.pk(), b.pk()) && a.cid().equals(b.cid())
                && SqlValues.same(a.val(), b.val()) && a.colVersion() == b.colVersion() && a.dbVersion() == b.dbVersion()
                && java.util.Arrays.equals(a.siteId(), b.siteId()) && a.cl() == b.cl() && a.seq() == b.seq();
    }

    private static boolean sameRow(Map<String, Object> a, Map<String, Object> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.keySet().stream().allMatch(k -> SqlValues.same(a.get(k), b.get(k)));
    }

    private static String show(Map<String, Object> row) {
        if (row == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder("{");
        row.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(SqlValues.show(v)));
        return b.append('}').toString();
    }

}
