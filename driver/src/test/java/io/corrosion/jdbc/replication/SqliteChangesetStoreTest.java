package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.node.DroppedSchema;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteChangesetStoreTest {
    private static final String PERSON = "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT, age INTEGER)";
    private static final String EXTRA = "CREATE TABLE extra (k TEXT PRIMARY KEY NOT NULL, v TEXT)";
    private static final String ALL_PERSONS = "SELECT id, name, age FROM person ORDER BY id";
    /** One version too big for one changeset: it goes in several chunks. */
    private static final String THREE_THOUSAND_PERSONS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
            + " FROM n WHERE i < 3000) INSERT INTO person SELECT i, 'name ' || i || ' ' || hex(randomblob(12)), i FROM n";

    @TempDir
    Path dir;

    private final List<StoreNode> nodes = new ArrayList<>();

    private StoreNode node(String name, String... tables) throws SQLException {
        StoreNode n = StoreNode.withCrrs(dir.resolve(name + ".db"), tables);
        nodes.add(n);
        return n;
    }

    @AfterEach
    void close() throws SQLException {
        for (StoreNode n : nodes) {
            n.close();
        }
    }

    @Test
    void completeVersionsMergeAndAreBookedDurably() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        a.exec("INSERT INTO person VALUES (2, 'Grace', 85)");
        a.exec("UPDATE person SET age = 37 WHERE id = 1");
        List<Changeset> changesets = a.publish();
        assertThat(changesets).hasSize(3);

        assertThat(b.store.apply(changesets)).containsOnly(ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
        assertThat(b.changes()).isEqualTo(a.changes());
        assertThat(b.applied).extracting(AppliedVersion::version).containsExactly(1L, 2L, 3L);

        b.restart();
        assertThat(b.store.apply(changesets)).containsOnly(ApplyOutcome.DUPLICATE);
        SyncState state = b.store.syncState();
        assertThat(state.head(a.site)).isEqualTo(3);
        assertThat(state.sites().get(a.site).hasGaps()).isFalse();
        assertThat(b.books.hasAllUpTo(a.site, 3)).isTrue();
    }

    @Test
    void theTimeTheAgentHoldsTheWriteLockIsCounted() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        long before = b.counters.applyLockNanos.sum();
        b.store.apply(a.publish());
        long afterApply = b.counters.applyLockNanos.sum();
        assertThat(afterApply).as("an apply transaction").isGreaterThan(before);

        long held = TimeUnit.MILLISECONDS.toNanos(30);
        b.writer.transaction(() -> {
            long until = System.nanoTime() + held;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the lock is held this long, whatever the machine does meanwhile
            }
            return null;
        });
        assertThat(b.counters.applyLockNanos.sum() - afterApply).as("a transaction that held the lock 30 ms")
                .isGreaterThanOrEqualTo(held);

        long beforeFailure = b.counters.applyLockNanos.sum();
        assertThatThrownBy(() -> b.writer.transaction(() -> {
            throw new SQLException("boom", "XX000");
        })).hasMessage("boom");
        assertThat(b.counters.applyLockNanos.sum()).as("a transaction rolled back held the lock too")
                .isGreaterThan(beforeFailure);

        b.writer.locked(() -> execOn(b.writer, "BEGIN")); // the agent's BEGIN IMMEDIATE fails at once
        try {
            long beforeRefused = b.counters.applyLockNanos.sum();
            assertThatThrownBy(() -> b.writer.transaction(() -> null)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("within a transaction");
            assertThat(b.counters.applyLockNanos.sum()).as("a transaction that never began held nothing")
                    .isEqualTo(beforeRefused);
        } finally {
            b.writer.locked(() -> rollbackIfOpen(b.writer));
        }
    }

    @Test
    void ofTheTimeTheAgentHoldsTheLockTheTimeItRanOnACoreIsCountedApart() throws SQLException {
        StoreNode b = node("b", PERSON);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long held = TimeUnit.MILLISECONDS.toNanos(30);

        long wallBefore = b.counters.applyLockNanos.sum();
        long cpuBefore = b.counters.applyLockCpuNanos.sum();
        b.writer.transaction(() -> { // holds the lock 30 ms without running, like a thread that waits for a core
            long until = System.nanoTime() + held;
            for (long left = held; left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            return null;
        });
        long wall = b.counters.applyLockNanos.sum() - wallBefore;
        long cpu = b.counters.applyLockCpuNanos.sum() - cpuBefore;
        assertThat(wall).as("held").isGreaterThanOrEqualTo(held);
        assertThat(cpu).as("of which on a core, parked").isLessThan(held / 2);

        wallBefore = b.counters.applyLockNanos.sum();
        cpuBefore = b.counters.applyLockCpuNanos.sum();
        b.writer.transaction(() -> { // runs 30 ms of its own CPU time while it holds the lock, however long that takes
            long start = threads.getCurrentThreadCpuTime();
            while (threads.getCurrentThreadCpuTime() - start < held) {
                Thread.onSpinWait();
            }
            return null;
        });
        wall = b.counters.applyLockNanos.sum() - wallBefore;
        cpu = b.counters.applyLockCpuNanos.sum() - cpuBefore;
        assertThat(cpu).as("of which on a core, spinning").isGreaterThanOrEqualTo(held)
                .isLessThanOrEqualTo(wall + TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void insideItsTransactionSqliteJdbcKnowsTheWriterIsNotAutoCommitting() throws SQLException {
        StoreNode b = node("b", PERSON);
        java.sql.Connection raw = b.writer.crr().connection();
        assertThat(b.writer.transaction(raw::getAutoCommit)).as("inside the agent's BEGIN").isFalse();
        assertThat(raw.getAutoCommit()).as("after COMMIT").isTrue();
        assertThatThrownBy(() -> b.writer.transaction(() -> {
            throw new SQLException("boom", "XX000");
        })).hasMessage("boom");
        assertThat(raw.getAutoCommit()).as("after ROLLBACK").isTrue();

        // Back in auto-commit mode, a statement outside the agent's transactions commits by itself: another
        // connection sees its row at once.
        b.writer.locked(() -> execOn(b.writer, "INSERT INTO person VALUES (7, 'Grace', 85)"));
        assertThat(b.rows("SELECT name FROM person WHERE id = 7")).containsExactly(List.of("Grace"));
    }

    /** Ends the transaction the test opened (a writer that rolled back on its own left none). */
    private static Void rollbackIfOpen(WriterConnection writer) throws SQLException {
        try {
            return execOn(writer, "ROLLBACK");
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no transaction is active")) {
                return null;
            }
            throw e;
        }
    }

    private static Void execOn(WriterConnection writer, String sql) throws SQLException {
        try (java.sql.Statement s = writer.crr().connection().createStatement()) {
            s.execute(sql);
        }
        return null;
    }

    @Test
    void versionsOutOfOrderLeaveGapsUntilFilled() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        for (int i = 1; i <= 4; i++) {
            a.exec("INSERT INTO person VALUES (" + i + ", 'p" + i + "', " + i + ")");
        }
        List<Changeset> cs = a.publish();
        b.store.apply(List.of(cs.get(3), cs.get(1)));
        SyncState.SiteVersions seen = b.store.syncState().sites().get(a.site);
        assertThat(seen.head()).isEqualTo(4);
        assertThat(seen.needed()).containsExactly(LongRange.single(1), LongRange.single(3));
        assertThat(b.books.hasAllUpTo(a.site, 2)).isFalse();

        b.restart();
        assertThat(b.store.syncState().sites().get(a.site).needed())
                .containsExactly(LongRange.single(1), LongRange.single(3));
        b.store.apply(List.of(cs.get(0), cs.get(2)));
        assertThat(b.books.hasAllUpTo(a.site, 4)).isTrue();
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
    }

    @Test
    void aVersionInChunksSurvivesARestartBetweenChunks() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                + " INSERT INTO person SELECT i, 'name ' || i || ' ' || hex(randomblob(12)), i FROM n");
        List<Changeset> chunks = a.publish();
        assertThat(chunks).hasSizeGreaterThan(2).allSatisfy(c -> assertThat(c).isInstanceOf(Changeset.Full.class));

        assertThat(b.store.apply(chunks.subList(0, 1))).containsExactly(ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).isEmpty();
        b.restart();
        assertThat(b.store.syncState().sites().get(a.site).partialNeeds()).containsKey(1L);

        List<Changeset> rest = new ArrayList<>(chunks.subList(1, chunks.size()));
        Collections.reverse(rest);
        assertThat(b.store.apply(rest)).containsOnly(ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
        assertThat(b.rows("SELECT count(*) FROM " + ReplicationSchema.BUFFER)).containsExactly(List.of(0L));
        assertThat(b.rows("SELECT version, last_seq FROM " + ReplicationSchema.LAST_SEQS))
                .containsExactly(List.of(1L, ((Changeset.Full) chunks.get(0)).lastSeq()));
        assertThat(b.store.apply(chunks)).containsOnly(ApplyOutcome.DUPLICATE);
    }

    /**
     * A version served in chunks by sync from a node that recorded no last seq for it (its origin, say, which had not
     * published it yet: committed before the agent started, or just before a crash). Its last rows are overwritten
     * before the peer gets the rest, so the rest comes with a smaller last seq; the peer must still complete it.
     */
    @Test
    void aPartialVersionCompletesWhenItsSenderNowServesASmallerLastSeq() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec(THREE_THOUSAND_PERSONS);
        ReadBatch first = a.store.read(List.of(new SyncNeed.Full(a.site, new LongRange(1, 1))), 1);
        assertThat(first.changesets()).hasSize(1);
        long firstLastSeq = ((Changeset.Full) first.changesets().get(0)).lastSeq();
        assertThat(b.store.apply(first.changesets())).containsExactly(ApplyOutcome.NEW);

        a.exec("UPDATE person SET name = 'x', age = 0 WHERE id >= 2990");
        a.restart(); // a's reader no longer holds the chunks it cut
        a.publisher.committed(a.app.dbVersion()); // as the agent starts: its versions so far are committed
        List<LongRange> missing = b.store.syncState().sites().get(a.site).partialNeeds().get(1L);
        List<Changeset> rest = a.store.read(List.of(new SyncNeed.Partial(a.site, 1, missing)), 1 << 22).changesets();
        assertThat(rest).hasSizeGreaterThan(1)
                .allSatisfy(c -> assertThat(((Changeset.Full) c).lastSeq()).isLessThan(firstLastSeq));

        assertThat(b.store.apply(rest.subList(0, rest.size() - 1))).containsOnly(ApplyOutcome.NEW);
        b.restart(); // the chunks booked with either last seq come back from the buffer alike
        assertThat(b.store.syncState().sites().get(a.site).partialNeeds()).containsKey(1L);
        assertThat(b.store.apply(rest.subList(rest.size() - 1, rest.size()))).containsExactly(ApplyOutcome.NEW);
        assertThat(b.store.syncState().sites().get(a.site).partialNeeds()).isEmpty();
        assertThat(b.rows("SELECT count(*) FROM " + ReplicationSchema.BUFFER)).containsExactly(List.of(0L));

        b.store.apply(a.publish()); // version 2, with the rows that overwrote version 1's last ones
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
        assertThat(b.changes()).isEqualTo(a.changes());
    }

    /** The same, when all a peer misses of the version lies above the sender's last seq now: its last chunk says so. */
    @Test
    void aPartialMissingOnlySeqsTheSenderNoLongerHasGetsItsLastChunk() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec(THREE_THOUSAND_PERSONS);
        List<Changeset> chunks = a.store.read(List.of(new SyncNeed.Full(a.site, new LongRange(1, 1))), 1 << 22)
                .changesets();
        Changeset.Full last = (Changeset.Full) chunks.get(chunks.size() - 1);
        assertThat(b.store.apply(chunks.subList(0, chunks.size() - 1))).containsOnly(ApplyOutcome.NEW);

        a.exec("UPDATE person SET name = 'x', age = 0 WHERE id > 2000");
        a.restart();
        a.publisher.committed(a.app.dbVersion());
        List<LongRange> missing = b.store.syncState().sites().get(a.site).partialNeeds().get(1L);
        assertThat(missing).containsExactly(new LongRange(last.seqs().start(), last.lastSeq()));
        List<Changeset> answer = a.store.read(List.of(new SyncNeed.Partial(a.site, 1, missing)), 1 << 22)
                .changesets();
        assertThat(answer).hasSize(1);
        Changeset.Full tail = (Changeset.Full) answer.get(0);
        assertThat(tail.seqs().end()).isEqualTo(tail.lastSeq()).isLessThan(last.seqs().start());

        assertThat(b.store.apply(answer)).containsExactly(ApplyOutcome.NEW);
        assertThat(b.store.syncState().sites().get(a.site).partialNeeds()).isEmpty();
        b.store.apply(a.publish());
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
    }

    @Test
    void anUndecodablePayloadIsRejectedAndTheRestOfItsBatchApplies() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        a.exec("INSERT INTO person VALUES (2, 'Grace', 85)");
        List<Changeset> cs = a.publish();
        Changeset.Full good = (Changeset.Full) cs.get(1);
        byte[] garbage = good.payload().clone();
        garbage[garbage.length - 1] ^= 0x7F;
        garbage[1] = (byte) 0xFF;
        Changeset.Full bad = new Changeset.Full(a.site, 1, LongRange.single(0), 2, 0, garbage);

        assertThat(b.store.apply(List.of(bad, good))).containsExactly(ApplyOutcome.REJECTED, ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).containsExactly(List.of(2L, "Grace", 85L));
        assertThat(b.store.syncState().sites().get(a.site).needed()).containsExactly(LongRange.single(1));
        assertThat(b.counters.changesetsRejected.sum()).isEqualTo(1);
    }

    @Test
    void changesTheEngineRefusesAreRejectedWithoutHoldingUpTheBatch() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        Changeset good = a.publish().get(0);
        // A two-column key for a one-column primary key: well-formed bytes, a change the table cannot take.
        Change wrongKey = new Change("person", PackedColumns.pack(1L, 2L), "name", "x", 1, 7, a.site.toBytes(), 1, 0);
        Changeset bad = Changeset.Full.complete(a.site, 7, 0, 0, ChangesPayload.encode(List.of(wrongKey)));

        assertThat(b.store.apply(List.of(bad, good))).containsExactly(ApplyOutcome.REJECTED, ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).containsExactly(List.of(1L, "Ada", 36L));
        assertThat(b.store.syncState().head(a.site)).isEqualTo(1);
    }

    /** Schemas that differ between nodes: a change this node's NOT NULL refuses is rejected, not its whole batch. */
    @Test
    void aChangeThisNodesConstraintsRefuseIsRejectedAndTheRestOfItsBatchApplies() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',"
                + " age INTEGER)");
        a.exec("INSERT INTO person VALUES (1, NULL, 36)");
        a.exec("INSERT INTO person VALUES (2, 'Grace', 85)");

        assertThat(b.store.apply(a.publish())).containsExactly(ApplyOutcome.REJECTED, ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).containsExactly(List.of(2L, "Grace", 85L));
        assertThat(b.store.syncState().sites().get(a.site).needed()).containsExactly(LongRange.single(1));
        assertThat(b.counters.changesetsRejected.sum()).isEqualTo(1);
    }

    /**
     * A kept version this node's table refuses once the table exists stays kept and does not hold back the others,
     * nor is it tried again before the schema changes again.
     */
    @Test
    void aKeptVersionTheArrivedTableRefusesStaysKeptAndTheOthersMerge() throws SQLException {
        StoreNode a = node("a", PERSON, EXTRA);
        StoreNode b = node("b", PERSON);
        a.exec("INSERT INTO extra VALUES ('k1', 'v1')");
        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        // A two-column key for extra's one-column primary key, from another version of a.
        Change wrongKey = new Change("extra", PackedColumns.pack("k2", "x"), "v", "bad", 1, 7, a.site.toBytes(), 1, 0);
        Changeset bad = Changeset.Full.complete(a.site, 7, 0, 0, ChangesPayload.encode(List.of(wrongKey)));
        assertThat(b.store.apply(List.of(bad))).containsExactly(ApplyOutcome.NEW); // kept: b has no table extra yet
        assertThat(b.pending.count()).isEqualTo(2);

        b.exec(EXTRA);
        b.crr.schema().asCrr("extra");
        assertThat(b.store.mergeKeptChanges()).isEqualTo(1);
        assertThat(b.rows("SELECT k, v FROM extra ORDER BY k")).containsExactly(List.of("k1", "v1"));
        assertThat(b.pending.count()).isEqualTo(1);
        assertThat(b.rows("SELECT count(*) FROM " + ReplicationSchema.PENDING)).containsExactly(List.of(1L));
        assertThat(b.store.mergeKeptChanges()).as("not again before the schema changes").isZero();
    }

    /**
     * Changes of a table or column this node dropped ({@link DroppedSchema}, which the driver's DDL writes) are kept
     * outside the bound of kept changes: they would fill it for good while other nodes go on writing the name. Kept, they
     * are still served, and merge when the node gets the name back. Kept changes of a name dropped since stop counting
     * at the next look at the kept changes.
     */
    @Test
    void changesOfADroppedTableOrColumnAreKeptOutsideTheBound() throws SQLException {
        StoreNode a = node("a", PERSON, EXTRA);
        StoreNode b = node("b", "CREATE TABLE person (id INTEGER PRIMARY KEY NOT NULL, name TEXT)");
        b.exec("CREATE TABLE " + DroppedSchema.TABLE + " (tbl TEXT NOT NULL, col TEXT NOT NULL, PRIMARY KEY (tbl, col))");
        b.exec("INSERT INTO " + DroppedSchema.TABLE + " VALUES ('person', 'age')");
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        a.exec("INSERT INTO extra VALUES ('k1', 'v1')");

        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        assertThat(b.rows("SELECT id, name FROM person")).containsExactly(List.of(1L, "Ada"));
        assertThat(b.counters.changesOfDroppedSchema.sum()).as("person.age").isEqualTo(1);
        assertThat(b.pending.count()).as("extra, not here yet: counted").isEqualTo(1);
        assertThat(b.rows("SELECT count(*) FROM " + ReplicationSchema.PENDING)).containsExactly(List.of(2L));

        b.exec("INSERT INTO " + DroppedSchema.TABLE + " VALUES ('extra', '')");
        assertThat(b.store.mergeKeptChanges()).isZero();
        assertThat(b.pending.count()).as("both of dropped names now").isZero();
        ReadBatch served = b.store.read(List.of(new SyncNeed.Full(a.site, new LongRange(1, 2))), 1 << 20);
        StoreNode c = node("c", PERSON, EXTRA);
        assertThat(c.store.apply(served.changesets())).containsOnly(ApplyOutcome.NEW);
        assertThat(c.changes()).as("served whole").isEqualTo(a.changes());

        b.exec("DELETE FROM " + DroppedSchema.TABLE);
        b.crr.schema().beginAlter("person");
        b.exec("ALTER TABLE person ADD COLUMN age INTEGER");
        b.crr.schema().commitAlter("person");
        assertThat(b.store.mergeKeptChanges()).isEqualTo(1);
        assertThat(b.rows(ALL_PERSONS)).containsExactly(List.of(1L, "Ada", 36L));
    }

    @Test
    void changesForAMissingTableWaitForItsSchemaAndAreServedMeanwhile() throws SQLException {
        StoreNode a = node("a", PERSON, EXTRA);
        StoreNode b = node("b", PERSON);
        StoreNode c = node("c", PERSON, EXTRA);
        a.exec("INSERT INTO person VALUES (1, 'Ada', 36)");
        a.exec("INSERT INTO extra VALUES ('k1', 'v1')");
        a.exec("INSERT INTO extra VALUES ('k2', 'v2'); INSERT INTO person VALUES (2, 'Grace', 85)");
        assertThat(b.store.apply(a.publish())).containsOnly(ApplyOutcome.NEW);
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
        assertThat(b.pending.count()).isEqualTo(2);

        b.restart();
        ReadBatch served = b.store.read(List.of(new SyncNeed.Full(a.site, new LongRange(1, 3))), 1 << 20);
        assertThat(c.store.apply(served.changesets())).containsOnly(ApplyOutcome.NEW);
        assertThat(c.changes()).isEqualTo(a.changes());

        assertThat(b.store.mergeKeptChanges()).isZero();
        b.exec(EXTRA);
        b.crr.schema().asCrr("extra");
        assertThat(b.store.mergeKeptChanges()).isEqualTo(2);
        assertThat(b.pending.count()).isZero();
        assertThat(b.changes()).isEqualTo(a.changes());
        assertThat(b.rows("SELECT k, v FROM extra ORDER BY k")).containsExactly(List.of("k1", "v1"),
                List.of("k2", "v2"));
    }

    @Test
    void syncServesKnownVersionsEmptiesAndRelaysOtherSitesInBoundedBatches() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        StoreNode c = node("c", PERSON);
        for (int i = 1; i <= 40; i++) {
            a.exec("INSERT INTO person VALUES (" + (i % 7) + ", 'v" + i + "', " + i + ")"
                    + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, age = excluded.age");
        }
        a.exec("DELETE FROM person WHERE id = 3");
        b.store.apply(a.publish());
        b.exec("INSERT INTO person VALUES (100, 'from b', 1)");

        // c catches up from b alone: a's versions relayed (overwritten ones as empties), and b's own.
        List<SyncNeed> needs = List.of(new SyncNeed.Full(a.site, new LongRange(1, 41)),
                new SyncNeed.Full(b.site, new LongRange(1, 1)));
        List<Changeset> received = new ArrayList<>();
        int reads = 0;
        while (!needs.isEmpty()) {
            ReadBatch batch = b.store.read(needs, 200);
            assertThat(batch.changesets()).isNotEmpty();
            received.addAll(batch.changesets());
            needs = batch.remaining();
            reads++;
        }
        assertThat(reads).isGreaterThan(1);
        assertThat(received).anySatisfy(cs -> assertThat(cs).isInstanceOf(Changeset.Empty.class));
        assertThat(c.store.apply(received)).doesNotContain(ApplyOutcome.REJECTED);
        assertThat(c.rows(ALL_PERSONS)).isEqualTo(b.rows(ALL_PERSONS));
        assertThat(c.changes()).isEqualTo(b.changes());
        assertThat(c.books.hasAllUpTo(a.site, 41)).isTrue();
        assertThat(c.books.hasAllUpTo(b.site, 1)).isTrue();
    }

    @Test
    void aPartialNeedGetsTheChunksItAsksFor() throws SQLException {
        StoreNode a = node("a", PERSON);
        StoreNode b = node("b", PERSON);
        a.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                + " INSERT INTO person SELECT i, 'name ' || i || ' ' || hex(randomblob(12)), i FROM n");
        List<Changeset> chunks = a.publish();
        b.store.apply(chunks.subList(0, 1));
        Changeset.Full first = (Changeset.Full) chunks.get(0);
        List<LongRange> missing = b.store.syncState().sites().get(a.site).partialNeeds().get(1L);
        assertThat(missing).containsExactly(new LongRange(first.seqs().end() + 1, first.lastSeq()));

        ReadBatch answer = a.store.read(List.of(new SyncNeed.Partial(a.site, 1, missing)), 1 << 22);
        assertThat(answer.changesets()).hasSize(chunks.size() - 1);
        b.store.apply(answer.changesets());
        assertThat(b.rows(ALL_PERSONS)).isEqualTo(a.rows(ALL_PERSONS));
    }
}
