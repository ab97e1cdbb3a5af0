package io.corrosion.jdbc.node;

import io.corrosion.jdbc.JdbcRows;
import io.corrosion.jdbc.intercept.TriggerKeyRewrite;
import io.corrosion.jdbc.node.ProbeSequence.Kind;
import io.corrosion.jdbc.node.ProbeSequence.Step;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one seed of the random schema probe ({@link RandomSchemaProbeTest}): each statement on a node first, then
 * (unless the node refused it, 0A000) on plain sqlite-jdbc; compares the outcomes, then every table, then the tables of
 * a second node the first one's changes were sent to. Throws an {@link AssertionError} naming the seed, the statement and the whole sequence.
 */
final class ProbeRun {
    private final Path dir;
    private final long seed;
    private final int length;
    private final boolean trace;
    private final List<String> replay;
    private final List<String> log = new ArrayList<>();

    /** With {@code replay} (statements, one a line) the run takes those instead of generating them. */
    ProbeRun(Path dir, long seed, int length, boolean trace, List<String> replay) {
        this.dir = dir;
        this.seed = seed;
        this.length = replay == null ? length : replay.size();
        this.trace = trace;
        this.replay = replay;
    }

    void run() throws SQLException {
        ProbeSequence seq = new ProbeSequence(seed);
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("plain" + seed + ".db")
                + "?journal_mode=WAL&foreign_keys=true"); Node a = new Node(dir, "a" + seed, "foreign_keys=true");
                Node b = new Node(dir, "b" + seed, "foreign_keys=true")) {
            for (int i = 0; i < length; i++) {
                Step step = replay == null ? seq.next() : Step.of(replay.get(i));
                boolean schemaChange = step.kind() == Kind.DDL && !inTransaction(plain);
                if (step.kind() == Kind.SYNC || schemaChange) {
                    // the second node takes every schema change with the first one: it has all of its rows first
                    sync(a, b, plain, i + ": " + Step.SYNC);
                    if (step.kind() == Kind.SYNC) {
                        continue;
                    }
                }
                String node = outcome(a.c, step);
                String theirs = node.startsWith("refused") ? "skipped"
                        : refusedForeignKey(node, step) ? orphanCheckedOutcome(plain, step, node)
                        : outcome(plain, step);
                if (theirs == null) { // the node stopped inside a string of statements: the files part here
                    note(i + ": " + step.sql() + "\n      plain: wrote an orphan its foreign_key_check finds"
                            + "\n      node:  " + node + "\n(the rest of the seed left out)");
                    return;
                }
                note(i + ": " + (step.kind() == Kind.FIRST_OF_STRING ? Step.FIRST_ONLY : "") + step.sql() + "\n      plain: " + theirs + "\n      node:  " + node);
                if (!node.startsWith("refused") && !same(theirs, node)) {
                    fail("statement " + i + " differs", null);
                }
                if (schemaChange && theirs.startsWith("ok") && !TriggerKeyRewrite.isCreateTrigger(step.sql())
                        && !step.sql().startsWith("DROP TRIGGER")) {
                    // not the triggers: they would fire again for the merged rows
                    String second = outcome(b.c, step);
                    if (!second.equals("ok")) {
                        fail("the second node's schema change differs", second);
                    }
                }
                if (step.ddl() != null && theirs.startsWith("ok")) {
                    step.ddl().apply().accept(seq.schema);
                }
                seq.dml.inTxn = inTransaction(plain);
            }
            if (inTransaction(plain)) {
                Step commit = Step.of("COMMIT");
                String node = outcome(a.c, commit);
                String theirs = outcome(plain, commit);
                note("end: COMMIT\n      plain: " + theirs + "\n      node:  " + node);
                if (!same(theirs, node)) {
                    fail("the last COMMIT differs", null);
                }
                if (!theirs.equals("ok")) { // a deferred foreign key
                    JdbcRows.exec(plain, "ROLLBACK");
                    JdbcRows.exec(a.c, "ROLLBACK");
                }
            }
            sync(a, b, plain, "end: " + Step.SYNC);
        }
    }

    /**
     * Compares the first node's tables with plain SQLite's, then sends its changes to the second node, whose tables must
     * then hold the same rows.
     */
    private void sync(Node a, Node b, Connection plain, String line) throws SQLException {
        if (inTransaction(plain)) {
            note(line + " (left out: in a transaction)");
            return;
        }
        note(line);
        List<String> tables = tables(plain);
        List<List<String>> want = dump(plain, tables);
        compare("tables through the node", want, dump(a.c, tables));
        a.sendTo(b);
        compare("tables on a second node", want, dump(b.c, tables));
    }

    private static List<String> tables(Connection plain) throws SQLException {
        return JdbcRows.column(plain, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name");
    }

    private void compare(String what, List<List<String>> want, List<List<String>> got) {
        if (!want.equals(got)) {
            fail(what + " differ", "plain: " + want + "\nnode:  " + got);
        }
    }

    private void note(String line) {
        log.add(line);
        if (trace) {
            System.out.println("seed " + seed + " " + line);
        }
    }

    private void fail(String what, String detail) {
        throw new AssertionError("random schema probe, seed " + seed + ": " + what + (detail == null ? "" : "\n" + detail)
                + "\nreplay: -Dfuzz.seed=" + seed + " -Dfuzz.seqs=1 -Dfuzz.length=" + length + "\n" + String.join("\n", log));
    }

    /** Both failed, or both did the same: an error's wording may differ. */
    private static boolean same(String plain, String node) {
        return plain.startsWith("failed") ? node.startsWith("failed") : plain.equals(node);
    }

    /** What a statement did: "ok" (DDL, transactions, a string run whole), its count or rows, or its error. */
    static String outcome(Connection c, Step step) {
        boolean node = c.getClass().getName().startsWith("io.corrosion");
        try (Statement s = c.createStatement()) {
            if (step.kind() == Kind.ALL_OF_STRING) {
                s.executeUpdate(step.sql());
                return "ok";
            }
            if (s.execute(step.sql())) {
                try (ResultSet rs = s.getResultSet()) {
                    return "rows " + rows(rs);
                }
            }
            if (step.kind() == Kind.DDL || step.kind() == Kind.TXN) {
                return "ok";
            }
            if (node) {
                return "ok, count " + s.getUpdateCount();
            }
            try (ResultSet rs = s.executeQuery("SELECT changes()")) {
                return "ok, count " + rs.getLong(1);
            }
        } catch (SQLException e) {
            return (node && "0A000".equals(e.getSQLState()) ? "refused: " : "failed: ") + e.getMessage();
        }
    }

    private static boolean refusedForeignKey(String node, Step step) {
        return (step.kind() == Kind.DML || step.kind() == Kind.FIRST_OF_STRING || step.kind() == Kind.ALL_OF_STRING)
                && node.startsWith("failed")
                && node.contains("FOREIGN KEY constraint failed");
    }

    /**
     * Plain SQLite's outcome of a statement the node refused for a foreign key, in a savepoint. Where SQLite writes it
     * and its own {@code PRAGMA foreign_key_check} then finds more orphans than before, the write is undone and the
     * node's refusal stands: an {@code OR REPLACE} in a trigger's body lets SQLite pass an orphan that the node's check
     * catches (seed 20179), so does a BEFORE INSERT trigger that deletes from the parent table (seed 21814, with
     * RETURNING), and a deferred key would fail SQLite's commit of the statement anyway. A string of statements runs
     * as it is (the node kept those before the one it refused; a savepoint would take them all, or keep a deferred
     * key's orphans): null if SQLite wrote an orphan, where the files part.
     */
    private String orphanCheckedOutcome(Connection plain, Step step, String node) throws SQLException {
        long before = orphans(plain);
        if (step.kind() == Kind.ALL_OF_STRING) {
            String theirs = outcome(plain, step);
            return theirs.startsWith("ok") && orphans(plain) > before ? null : theirs;
        }
        JdbcRows.exec(plain, "SAVEPOINT probe_orphans");
        String theirs = outcome(plain, step);
        if ((theirs.startsWith("ok") || theirs.startsWith("rows")) && orphans(plain) > before) { // rows: RETURNING
            JdbcRows.exec(plain, "ROLLBACK TO probe_orphans", "RELEASE probe_orphans");
            note("(the next statement: plain SQLite wrote an orphan its foreign_key_check finds; undone, the node's refusal stands)");
            return node;
        }
        try {
            JdbcRows.exec(plain, "RELEASE probe_orphans");
            return theirs;
        } catch (SQLException deferred) { // a deferred key fails the savepoint's commit, as it would the statement's
            if (String.valueOf(deferred.getMessage()).contains("no such savepoint")) {
                return theirs; // an OR ROLLBACK took the transaction, and the savepoint with it
            }
            JdbcRows.exec(plain, "ROLLBACK TO probe_orphans", "RELEASE probe_orphans");
            return "failed: " + deferred.getMessage();
        }
    }

    private static long orphans(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_foreign_key_check")) {
            return rs.getLong(1);
        }
    }

    /** Whether an explicit transaction is open: a BEGIN fails inside one, and an empty one changes nothing. */
    static boolean inTransaction(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
        } catch (SQLException e) {
            return true;
        }
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
            return false;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Every table's rows as typed strings, sorted (the hidden key of a table without one is not among them). */
    static List<List<String>> dump(Connection c, List<String> tables) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        for (String t : tables) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                List<String> rows = rows(rs);
                rows.add(0, t);
                out.add(rows);
            }
        }
        return out;
    }

    /**
     * The rows of a result set ({@link Node#rows(ResultSet)}), each as one string, its values with their types (2 and 2.0
     * differ; a blob reads as its hex), sorted: RETURNING gives its rows in no set order.
     */
    private static List<String> rows(ResultSet rs) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (List<Object> row : Node.rows(rs)) {
            rows.add(row.stream().map(v -> v == null ? "NULL" : v.getClass().getSimpleName() + ":" + v).toList().toString());
        }
        rows.sort(null);
        return rows;
    }
}
