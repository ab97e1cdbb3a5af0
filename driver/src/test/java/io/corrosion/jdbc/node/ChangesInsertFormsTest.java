package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every form of {@code INSERT INTO crsql_changes} a cr-sqlite application writes merges as {@code applyChanges} does:
 * the same rows and clock records, key counters moved past merged keys in the node's slot, and an update count of one
 * per row inserted, as cr-sqlite's virtual table counts them.
 */
class ChangesInsertFormsTest {
    private static final String[] DDL = {"create table t (id integer primary key, v text)",
            "create table u (k text primary key, r real, b blob, n integer)"};
    /** Node b's slot: the source's rows 1032 and 2056 lie in it. */
    private static final int SLOT = 7;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        io.corrosion.jdbc.CorrosionDriver.shutdownAll();
    }

    /** A form, run on the target with the source's changes; returns the update counts it reported, added up. */
    enum Form {
        /** {@code INSERT INTO crsql_changes SELECT * FROM other.changes} after ATTACH, as cr-sqlite users sync files. */
        SELECT_FROM_ATTACHED {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                attachCopy(target, changes, dir);
                try (Statement s = target.c.createStatement()) {
                    return s.executeUpdate("INSERT INTO crsql_changes SELECT * FROM other.changes");
                }
            }
        },
        /** The same, prepared, with a parameter in its WHERE. */
        PREPARED_SELECT {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                attachCopy(target, changes, dir);
                try (PreparedStatement p = target.c.prepareStatement(
                        "INSERT INTO crsql_changes SELECT * FROM other.changes WHERE db_version >= ?")) {
                    p.setLong(1, 0);
                    return p.executeUpdate();
                }
            }
        },
        /** One multi-row VALUES of literals naming cr-sqlite's nine columns. */
        MULTI_ROW_VALUES {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                try (Statement s = target.c.createStatement()) {
                    return s.executeUpdate(ChangesSql.insert(changes));
                }
            }
        },
        /** One single-row VALUES of literals per change, without a column list; run with execute and getUpdateCount. */
        SINGLE_ROW_VALUES_EXECUTE {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                long count = 0;
                try (Statement s = target.c.createStatement()) {
                    for (Change ch : changes) {
                        assertThat(s.execute("INSERT INTO crsql_changes VALUES " + ChangesSql.ten(ch))).isFalse();
                        count += s.getUpdateCount();
                    }
                }
                return count;
            }
        },
        /** One multi-row VALUES of literals without a column list, cr-sqlite's nine values a row (no ts). */
        NINE_VALUES_WITHOUT_COLUMNS {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                StringJoiner rows = new StringJoiner(", ", "INSERT INTO crsql_changes VALUES ", "");
                changes.forEach(ch -> rows.add(ChangesSql.nine(ch)));
                try (Statement s = target.c.createStatement()) {
                    return s.executeUpdate(rows.toString());
                }
            }
        },
        /** A prepared batch of {@code VALUES} with cr-sqlite's nine {@code ?}s and no column list. */
        PREPARED_NINE_WITHOUT_COLUMNS_BATCH {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                try (PreparedStatement p = target.c.prepareStatement(
                        "insert into crsql_changes values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Change ch : changes) {
                        Object[] values = {ch.table(), ch.pk(), ch.cid(), ch.val(), ch.colVersion(), ch.dbVersion(),
                                ch.siteId(), ch.cl(), ch.seq()};
                        for (int i = 0; i < values.length; i++) {
                            p.setObject(i + 1, values[i]);
                        }
                        p.addBatch();
                    }
                    return java.util.Arrays.stream(p.executeBatch()).sum();
                }
            }
        },
        /** All single-row INSERTs in one string. */
        MULTI_STATEMENT_STRING {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                StringJoiner string = new StringJoiner("; ");
                for (Change ch : changes) {
                    string.add("INSERT INTO crsql_changes " + ChangesSql.NINE_COLUMNS + " VALUES " + ChangesSql.nine(ch));
                }
                try (Statement s = target.c.createStatement()) {
                    return s.executeUpdate(string.toString());
                }
            }
        },
        /** Prepared {@code VALUES (?, ...)} without a column list: all ten columns, bound one change at a time. */
        PREPARED_VALUES_WITHOUT_COLUMNS {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                long count = 0;
                try (PreparedStatement p = target.c.prepareStatement(
                        "INSERT INTO crsql_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Change ch : changes) {
                        bind(p, ch);
                        count += p.executeUpdate();
                    }
                }
                return count;
            }
        },
        /** The prepared form the driver merges itself: every column named, {@code (?, ...)}. */
        PREPARED_VALUES {
            @Override
            long run(Node target, List<Change> changes, Path dir) throws SQLException {
                long count = 0;
                try (PreparedStatement p = target.c.prepareStatement(Change.INSERT_SQL)) {
                    for (Change ch : changes) {
                        bind(p, ch);
                        count += p.executeUpdate();
                    }
                }
                return count;
            }
        };

        abstract long run(Node target, List<Change> changes, Path dir) throws SQLException;

        static void bind(PreparedStatement p, Change ch) throws SQLException {
            Object[] values = {ch.table(), ch.pk(), ch.cid(), ch.val(), ch.colVersion(), ch.dbVersion(), ch.siteId(),
                    ch.cl(), ch.seq(), ch.ts()};
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
        }

        /** A plain SQLite file with a table of the changes, attached to the target as {@code other}. */
        private static void attachCopy(Node target, List<Change> changes, Path dir) throws SQLException {
            Path copy = dir.resolve("changes-copy.db");
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + copy);
                    Statement s = plain.createStatement()) {
                s.execute("CREATE TABLE changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts)");
                for (Change ch : changes) {
                    s.execute("INSERT INTO changes VALUES " + ChangesSql.ten(ch));
                }
            }
            target.exec("ATTACH '" + copy + "' AS other");
        }
    }

    /** Inserts a row into {@code t} with a key the node generates; returns the key. */
    private static long generated(Node n, String v) throws SQLException {
        try (PreparedStatement p = n.c.prepareStatement("insert into t (v) values (?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, v);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }

    /** What a form did on the target, and what applyChanges did with the same changes on the reference. */
    private record Outcome(long count, int changes, Map<String, List<List<Object>>> target,
            Map<String, List<List<Object>>> reference) {}

    private static final List<String> STATE = List.of("select * from t order by id", "select * from u order by k",
            "select * from t__crsql_clock order by key", "select * from u__crsql_clock order by key",
            "select * from crsql_changes where site_id <> crsql_site_id() order by \"table\", pk, cid");

    /**
     * Merges the source's changes (rows with keys in the target's slot, an update, a delete, every type of value) into
     * the target by the form and into the reference by applyChanges; then, if asked, both generate a key.
     */
    private Outcome merge(Form form, boolean generateAfter) throws SQLException {
        try (Node source = new Node(dir, "source", "node-slot=3");
                Node target = new Node(dir, "target", "node-slot=" + SLOT);
                Node reference = new Node(dir, "reference", "node-slot=" + SLOT)) {
            source.exec(DDL);
            source.exec("insert into t (id, v) values (1032, 'in the slot'), (2056, 'in the slot too')",
                    "insert into t (v) values ('generated'), ('deleted')",
                    "update t set v = 'updated' where id = 1032",
                    "delete from t where v = 'deleted'",
                    "insert into u values ('x', 1.5, x'00ff', 9223372036854775807), ('it''s', NULL, NULL, -1)");
            for (Node n : List.of(target, reference)) {
                n.exec(DDL);
                assertThat(generated(n, "before")).isEqualTo(SLOT + 1); // the counter is in memory
            }
            List<Change> changes = source.crr.changesSince(0);

            long count = form.run(target, changes, dir);
            reference.crr.applyChanges(changes);
            if (generateAfter) {
                generated(target, "after");
                generated(reference, "after");
            }
            Map<String, List<List<Object>>> t = new LinkedHashMap<>();
            Map<String, List<List<Object>>> r = new LinkedHashMap<>();
            for (String q : STATE) {
                t.put(q, target.rows(q));
                r.put(q, reference.rows(q));
            }
            return new Outcome(count, changes.size(), t, r);
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void eachFormMergesAsApplyChangesDoesAndSkipsTheMergedKeysInTheSlot(Form form) throws SQLException {
        Outcome o = merge(form, true);
        assertThat(o.target()).isEqualTo(o.reference());
        assertThat(o.target().get(STATE.get(0))).as("the key generated after the merge: past those in the slot")
                .contains(List.of(3 * 1024L + SLOT + 1, "after"));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void eachFormCountsOneRowPerChangeInserted(Form form) throws SQLException {
        Outcome o = merge(form, false);
        assertThat(o.count()).isEqualTo(o.changes());
    }

    /**
     * sqlite-jdbc runs a batch at once: a string that inserts into {@code crsql_changes} counts its rows when it is the
     * batch's only such string, and {@link Statement#SUCCESS_NO_INFO} when there are several; every row merges.
     */
    @org.junit.jupiter.api.Test
    void batchesCountTheRowsOfTheirOnlyInsertIntoCrsqlChangesAndNoInfoForSeveral() throws SQLException {
        try (Node source = new Node(dir, "source"); Node target = new Node(dir, "target");
                Node reference = new Node(dir, "reference")) {
            source.exec(DDL);
            source.exec("insert into t values (1, 'one'), (2, 'two')", "insert into u (k) values ('x')");
            target.exec(DDL);
            reference.exec(DDL);
            List<Change> changes = source.crr.changesSince(0);
            List<Change> first = changes.subList(0, 3);
            List<Change> rest = changes.subList(3, changes.size());
            try (Statement s = target.c.createStatement()) {
                s.addBatch("insert into u (k) values ('local')");
                s.addBatch(ChangesSql.insert(first));
                assertThat(s.executeBatch()).containsExactly(1, 3);
                s.addBatch(ChangesSql.insert(rest.subList(0, 1)));
                s.addBatch(ChangesSql.insert(rest.subList(1, rest.size())));
                assertThat(s.executeBatch()).containsExactly(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO);
            }
            reference.exec("insert into u (k) values ('local')");
            reference.crr.applyChanges(changes);
            for (String q : List.of("select * from t order by id", "select * from u order by k")) {
                assertThat(target.rows(q)).as(q).isEqualTo(reference.rows(q));
            }
            target.exec("delete from t", "delete from u");
            try (PreparedStatement p = target.c.prepareStatement(
                    "INSERT INTO crsql_changes SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
                for (Change ch : List.of(changes.get(0), changes.get(1))) {
                    Form.bind(p, ch);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsExactly(Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO);
                Form.bind(p, changes.get(2));
                p.addBatch();
                assertThat(p.executeBatch()).containsExactly(1);
            }
        }
    }
}
