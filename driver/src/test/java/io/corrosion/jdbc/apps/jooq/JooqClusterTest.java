package io.corrosion.jdbc.apps.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionDataSource;
import io.corrosion.jdbc.apps.LoopbackCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jOOQ 3.19 ({@code SQLDialect.SQLITE}) on three nodes of a cluster: what one node writes, the others read. */
class JooqClusterTest {
    private static final int NODES = 3;
    private static final Table<Record> PRODUCT = DSL.table(DSL.name("product"));
    private static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT.identity(true));
    private static final Field<String> SKU = DSL.field(DSL.name("sku"), SQLDataType.VARCHAR(40));
    private static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(100).nullable(false));
    private static final Field<Integer> STOCK = DSL.field(DSL.name("stock"), SQLDataType.INTEGER);
    private static final Table<Record> PRICE = DSL.table(DSL.name("price"));
    private static final Field<String> PRICE_SKU = DSL.field(DSL.name("sku"), SQLDataType.VARCHAR(40).nullable(false));
    private static final Field<Double> AMOUNT = DSL.field(DSL.name("amount"), SQLDataType.DOUBLE);
    private static final Field<String> CURRENCY = DSL.field(DSL.name("currency"), SQLDataType.VARCHAR(3));

    @TempDir
    static Path dir;

    static LoopbackCluster cluster;
    static final List<DSLContext> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = LoopbackCluster.start(dir, "jooq", NODES);
        for (int i = 0; i < NODES; i++) {
            // jOOQ over the driver's DataSource; the cluster shuts the node down at the end
            DSLContext ctx = DSL.using(new CorrosionDataSource(cluster.url(i)), SQLDialect.SQLITE);
            ctx.createTableIfNotExists(PRODUCT).column(ID).column(SKU).column(NAME).column(STOCK)
                    .constraints(DSL.constraint("pk_product").primaryKey(ID)).execute();
            ctx.createTableIfNotExists(PRICE).column(PRICE_SKU).column(AMOUNT).column(CURRENCY)
                    .constraints(DSL.constraint("pk_price").primaryKey(PRICE_SKU)).execute();
            nodes.add(ctx);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void crudWithReturningOnOneNodeIsSeenOnTheOthers() throws Exception {
        DSLContext a = nodes.get(0);
        // jOOQ renders returning() on SQLite as a select of last_insert_rowid(): one row per INSERT (a multi-row
        // INSERT returns only its last row, on plain sqlite-jdbc too)
        Record kettleRow = a.insertInto(PRODUCT, SKU, NAME, STOCK).values("crud-1", "kettle", 5)
                .returning(ID, NAME).fetchOne();
        Record teapotRow = a.insertInto(PRODUCT, SKU, NAME, STOCK).values("crud-2", "teapot", 7)
                .returning(ID).fetchOne();
        assertThat(kettleRow.get(NAME)).isEqualTo("kettle");
        long kettle = kettleRow.get(ID);
        long teapot = teapotRow.get(ID);
        assertThat(List.of(kettle, teapot)).allSatisfy(id -> assertThat(LoopbackCluster.slotOf(id)).isEqualTo(1));
        assertThat(a.select(NAME).from(PRODUCT).where(ID.eq(teapot)).fetchOne(NAME)).isEqualTo("teapot");
        cluster.awaitReplicatedFrom(0);

        DSLContext b = nodes.get(1);
        assertThat(b.select(NAME).from(PRODUCT).where(ID.eq(kettle)).fetchOne(NAME)).isEqualTo("kettle");
        assertThat(b.update(PRODUCT).set(STOCK, STOCK.plus(10)).where(ID.eq(kettle)).execute()).isEqualTo(1);
        cluster.awaitReplicatedFrom(1);

        DSLContext c = nodes.get(2);
        assertThat(c.select(STOCK).from(PRODUCT).where(ID.eq(kettle)).fetchOne(STOCK)).isEqualTo(15);
        assertThat(c.deleteFrom(PRODUCT).where(ID.eq(teapot)).execute()).isEqualTo(1);
        cluster.awaitReplicatedFrom(2);

        for (DSLContext node : nodes) {
            assertThat(node.select(SKU, STOCK).from(PRODUCT).where(SKU.like("crud-%")).orderBy(SKU).fetch()
                    .map(r -> r.value1() + "=" + r.value2())).containsExactly("crud-1=15");
        }
    }

    @Test
    void upsertsOnDifferentNodesMergeColumnByColumn() throws Exception {
        DSLContext a = nodes.get(0);
        DSLContext b = nodes.get(1);
        assertThat(a.insertInto(PRICE, PRICE_SKU, AMOUNT, CURRENCY).values("tea", 3.5, "EUR")
                .onConflict(PRICE_SKU).doUpdate().set(AMOUNT, DSL.excluded(AMOUNT)).execute()).isEqualTo(1);
        cluster.awaitReplicatedFrom(0);
        // the same key upserted on two nodes, each changing another column
        a.insertInto(PRICE, PRICE_SKU, AMOUNT, CURRENCY).values("tea", 4.0, "EUR")
                .onConflict(PRICE_SKU).doUpdate().set(AMOUNT, DSL.excluded(AMOUNT)).execute();
        b.insertInto(PRICE, PRICE_SKU, AMOUNT, CURRENCY).values("tea", 0.0, "GBP")
                .onConflict(PRICE_SKU).doUpdate().set(CURRENCY, DSL.excluded(CURRENCY)).execute();
        b.insertInto(PRICE, PRICE_SKU, AMOUNT, CURRENCY).values("coffee", 2.0, "GBP")
                .onConflictDoNothing().execute();
        cluster.awaitAllReplicated();
        for (DSLContext node : nodes) {
            assertThat(node.select(PRICE_SKU, AMOUNT, CURRENCY).from(PRICE).orderBy(PRICE_SKU).fetch()
                    .map(r -> r.value1() + " " + r.value2() + " " + r.value3()))
                    .containsExactly("coffee 2.0 GBP", "tea 4.0 GBP");
        }
    }

    @Test
    void batchesAndTransactionsReplicate() throws Exception {
        DSLContext c = nodes.get(2);
        List<Query> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(c.insertInto(PRODUCT, SKU, NAME, STOCK).values("batch-" + i, "item " + i, i));
        }
        int[] counts = c.batch(batch).execute();
        assertThat(counts).hasSize(40).containsOnly(1);
        var bound = c.batch(c.insertInto(PRODUCT, SKU, NAME, STOCK).values((String) null, (String) null, (Integer) null));
        for (int i = 0; i < 20; i++) {
            bound = bound.bind("bound-" + i, "bound " + i, i);
        }
        assertThat(bound.execute()).hasSize(20).containsOnly(1);
        // a transaction that reads, then writes
        c.transaction(cfg -> {
            DSLContext tx = DSL.using(cfg);
            int total = tx.select(DSL.sum(STOCK)).from(PRODUCT).where(SKU.like("batch-%")).fetchOne(0, Integer.class);
            tx.insertInto(PRODUCT, SKU, NAME, STOCK).values("batch-total", "sum", total).execute();
        });
        cluster.awaitReplicatedFrom(2);
        for (DSLContext node : nodes) {
            assertThat(node.fetchCount(PRODUCT, SKU.like("batch-%").or(SKU.like("bound-%")))).isEqualTo(61);
            assertThat(node.select(STOCK).from(PRODUCT).where(SKU.eq("batch-total")).fetchOne(STOCK))
                    .isEqualTo(40 * 39 / 2);
            List<Long> ids = node.select(ID).from(PRODUCT).where(SKU.like("b%")).fetch(ID);
            assertThat(ids).hasSize(61).allSatisfy(id -> assertThat(LoopbackCluster.slotOf(id)).isEqualTo(3));
        }
    }

    @Test
    void concurrentWritersOnEveryNodeConverge() throws Exception {
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int n = 0; n < NODES; n++) {
            DSLContext ctx = nodes.get(n);
            String node = "node" + n;
            writers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 25; i++) {
                        ctx.insertInto(PRODUCT, SKU, NAME, STOCK).values(node + "-" + i, node, i).execute();
                    }
                    ctx.update(PRODUCT).set(STOCK, 0).where(SKU.eq(node + "-0")).execute();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        cluster.awaitAllReplicated();
        await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> {
            List<String> first = rows(nodes.get(0));
            assertThat(first).hasSize(75);
            for (DSLContext node : nodes) {
                assertThat(rows(node)).isEqualTo(first);
            }
        });
    }

    private static List<String> rows(DSLContext ctx) {
        return ctx.select(ID, SKU, STOCK).from(PRODUCT).where(SKU.like("node%")).orderBy(ID).fetch()
                .map(r -> r.value1() + " " + r.value2() + " " + r.value3());
    }
}
