package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.ChangesSql;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * In auto-commit mode, a merge through {@code INSERT INTO crsql_changes} (or {@code applyChanges}) and the slot conflict
 * rule for the claims it merged commit as one transaction: when the rule fails, nothing of the statement is committed
 * and the caller hears it with an SQLState; when it succeeds, there is one commit, not the merge's and then the rule's.
 * The node's slot is configured, so the rule rewrites its claim over the other site's, and a trigger of the test on the
 * node's own row makes that write fail.
 */
class AutoCommitClaimRuleTest {
    private static final int SLOT = 5;
    private static final byte[] OTHER = HexFormat.of().parseHex("01000000000000000000000000000000");
    private static final String RULE_FAILS = "CREATE TRIGGER rule_fails BEFORE UPDATE ON " + KeysSchema.NODE_TABLE
            + " BEGIN SELECT RAISE(ABORT, 'the slot rule fails (test)'); END";

    private static final String NOT_A_KEY = "insert into t (id, v) values ('not a key', 'x')";

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** A way the application merges the other site's changes in auto-commit mode, with a row of its own or without. */
    enum Form {
        VALUES(false) {
            @Override
            void merge(Connection c, List<Change> changes) throws SQLException {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(ChangesSql.insert(changes));
                }
            }
        },
        MULTI_STATEMENT_STRING(true) {
            @Override
            void merge(Connection c, List<Change> changes) throws SQLException {
                StringJoiner string = new StringJoiner("; ", LOCAL_ROW + "; ", "");
                changes.forEach(ch -> string.add(oneRow(ch)));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(string.toString());
                }
            }
        },
        BATCH(true) {
            @Override
            void merge(Connection c, List<Change> changes) throws SQLException {
                try (Statement s = c.createStatement()) {
                    s.addBatch(LOCAL_ROW);
                    for (Change ch : changes) {
                        s.addBatch(oneRow(ch));
                    }
                    s.executeBatch();
                }
            }
        },
        /** A prepared batch the view's trigger merges row by row (an INSERT ... SELECT the driver does not merge itself). */
        PREPARED_BATCH(false) {
            @Override
            void merge(Connection c, List<Change> changes) throws SQLException {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO crsql_changes SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
                    for (Change ch : changes) {
                        Object[] values = {ch.table(), ch.pk(), ch.cid(), ch.val(), ch.colVersion(), ch.dbVersion(),
                                ch.siteId(), ch.cl(), ch.seq(), ch.ts()};
                        for (int i = 0; i < values.length; i++) {
                            p.setObject(i + 1, values[i]);
                        }
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
        },
        APPLY_CHANGES(false) {
            @Override
            void merge(Connection c, List<Change> changes) throws SQLException {
                c.unwrap(CorrosionConnection.class).applyChanges(changes);
            }
        };

        static final String LOCAL_ROW = "insert into t (id, v) values (2, 'local')";

        final boolean writesLocalRow;

        Form(boolean writesLocalRow) {
            this.writesLocalRow = writesLocalRow;
        }

        abstract void merge(Connection c, List<Change> changes) throws SQLException;

        static String oneRow(Change ch) {
            return "INSERT INTO crsql_changes " + ChangesSql.NINE_COLUMNS + " VALUES " + ChangesSql.nine(ch);
        }
    }

    private Path file() {
        return dir.resolve("node.db");
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:corrosion:" + file() + "?bind=127.0.0.1:0&tls.insecure=true"
                + "&node-slot=" + SLOT);
        try (Statement s = c.createStatement()) {
            s.execute("create table t (id integer primary key, v text)");
        }
        return c;
    }

    /** Another site's claim of this node's slot, winning the merge with {@code colVersion} above the node's. */
    private static Change otherClaim(long colVersion, long dbVersion) {
        return new Change(KeysSchema.SLOTS_TABLE, PackedColumns.pack((long) SLOT), "site_id", OTHER, colVersion,
                dbVersion, OTHER, 1, 0);
    }

    /** Another site's claim of this node's slot and a row of {@code t}. */
    private static List<Change> otherClaimAndRow() {
        byte[] slot = PackedColumns.pack((long) SLOT);
        byte[] row = PackedColumns.pack(1L);
        return List.of(otherClaim(9, 1), new Change(KeysSchema.SLOTS_TABLE, slot, "configured", 0L, 9, 1, OTHER, 1, 1),
                new Change("t", row, Change.SENTINEL, null, 1, 1, OTHER, 1, 2),
                new Change("t", row, "v", "merged", 1, 1, OTHER, 1, 3));
    }

    /** The node's site id as SQLite's {@code hex()} writes it. */
    private static String siteHex(Connection c) throws SQLException {
        return HexFormat.of().withUpperCase().formatHex(c.unwrap(CorrosionConnection.class).siteId());
    }

    /** Runs DDL of the test on the file through plain sqlite-jdbc, beside the driver. */
    private void plain(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** What is committed, read on a connection of its own: the rows of t, and who claims the slot. */
    private List<String> committed() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select group_concat(v, ',') from (select v from t order by id)")) {
            String t = rows.getString(1);
            try (ResultSet claim = s.executeQuery("select hex(site_id) from " + KeysSchema.SLOTS_TABLE
                    + " where slot = " + SLOT)) {
                return Arrays.asList(t, claim.getString(1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aFailingClaimRuleLeavesNothingOfTheMergeCommitted(Form form) throws SQLException {
        try (Connection c = open()) {
            String site = siteHex(c);
            assertThat(committed()).containsExactly(null, site);
            plain(RULE_FAILS);

            assertThatThrownBy(() -> form.merge(c, otherClaimAndRow())).isInstanceOf(SQLException.class)
                    .hasMessageContaining("the slot rule fails (test)")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23000"));
            assertThat(committed()).as("neither the merged claim nor the rows of the statement").containsExactly(null, site);
            assertThat(c.getAutoCommit()).isTrue();

            plain("DROP TRIGGER rule_fails");
            AtomicInteger commits = new AtomicInteger();
            SQLiteCommitListener counter = new SQLiteCommitListener() {
                @Override
                public void onCommit() {
                    commits.incrementAndGet();
                }

                @Override
                public void onRollback() {}
            };
            SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
            raw.addCommitListener(counter);
            try {
                form.merge(c, otherClaimAndRow());
            } finally {
                raw.removeCommitListener(counter);
            }
            assertThat(commits).as("the merge and its slot rule commit together").hasValue(1);
            assertThat(committed()).as("merged, and the configured node claims its slot again")
                    .containsExactly(form.writesLocalRow ? "merged,local" : "merged", site);
        }
    }

    /**
     * A later statement of the string or batch fails: the statements before it stay, as in auto-commit, only with the
     * rule for their claims; if that fails too, none of them does (the caller hears the statement's failure).
     */
    @ParameterizedTest
    @EnumSource(value = Form.class, names = {"MULTI_STATEMENT_STRING", "BATCH"})
    void aFailingRuleAfterAFailedStatementLeavesNothingOfTheStringCommitted(Form form) throws SQLException {
        try (Connection c = open()) {
            String site = siteHex(c);
            plain(RULE_FAILS);
            List<Change> changes = otherClaimAndRow();
            try (Statement s = c.createStatement()) {
                if (form == Form.BATCH) {
                    s.addBatch(Form.LOCAL_ROW);
                    s.addBatch(ChangesSql.insert(changes));
                    s.addBatch(NOT_A_KEY);
                    assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class);
                } else {
                    assertThatThrownBy(() -> s.executeUpdate(Form.LOCAL_ROW + "; " + ChangesSql.insert(changes) + "; "
                            + NOT_A_KEY)).isInstanceOf(SQLException.class);
                }
            }
            assertThat(committed()).containsExactly(null, site);
        }
    }

    /**
     * Beside statements that must not run in a transaction the driver begins (BEGIN, COMMIT, ATTACH, ...), a merge runs
     * as written and the rule follows it.
     */
    @Test
    void aMergeBesideStatementsThatControlTransactionsStillMeetsTheRule() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement()) {
            String site = siteHex(c);
            s.executeUpdate("BEGIN; " + ChangesSql.insert(otherClaimAndRow()) + "; COMMIT");
            assertThat(committed()).containsExactly("merged", site);

            s.execute("BEGIN"); // SQL's own transaction in auto-commit mode: the merge and its rule join it
            s.executeUpdate(ChangesSql.insert(List.of(otherClaim(30, 2))));
            assertThat(committed()).as("nothing committed before the application's COMMIT").containsExactly("merged", site);
            s.execute("COMMIT");
            assertThat(committed()).containsExactly("merged", site);
            assertThat(GeneratedKeysTest.one(c, "select max(col_version) from crsql_changes where \"table\" = '"
                    + KeysSchema.SLOTS_TABLE + "' and cid = 'site_id'")).isGreaterThan(30);

            s.addBatch("BEGIN");
            s.addBatch("update t set v = 'again' where id = 1");
            s.addBatch(ChangesSql.insert(List.of(otherClaim(50, 3))));
            s.addBatch("COMMIT");
            s.executeBatch();
            assertThat(committed()).containsExactly("again", site);

            Path copy = dir.resolve("changes.db");
            try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + copy);
                    Statement p = plain.createStatement()) {
                p.execute("CREATE TABLE changes (\"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts)");
                p.execute("INSERT INTO changes VALUES " + ChangesSql.ten(otherClaim(90, 4)));
            }
            s.executeUpdate("ATTACH '" + copy + "' AS other; INSERT INTO crsql_changes SELECT * FROM other.changes;"
                    + " DETACH other");
            assertThat(committed()).as("the rule wrote the claim over the merged one").containsExactly("again", site);
            assertThat(GeneratedKeysTest.one(c, "select max(col_version) from crsql_changes where \"table\" = '"
                    + KeysSchema.SLOTS_TABLE + "' and cid = 'site_id'")).isGreaterThan(90);
        }
    }
}
