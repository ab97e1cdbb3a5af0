package io.corrosion.jdbc.apps.spring;

import static io.corrosion.jdbc.apps.Outcomes.attempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring's JDBC support ({@code JdbcTemplate}, {@code SimpleJdbcInsert}, {@code TransactionTemplate} with NESTED
 * savepoints, read-only and isolation levels) over a HikariCP pool: the same outcomes on {@code jdbc:corrosion:} as on
 * {@code jdbc:sqlite:}.
 */
class SpringJdbcDifferentialTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }


    private static List<String> outcomes(String url) {
        List<String> out = new ArrayList<>();
        try (HikariDataSource ds = pool(url, 1)) {
            JdbcTemplate jt = new JdbcTemplate(ds);
            jt.execute("create table item (id integer primary key, name text not null, qty int default 3, price numeric(10,2))");
            jt.execute("create table tag (item_id int, tag text)"); // no key: the driver's hidden one
            SimpleJdbcInsert items = new SimpleJdbcInsert(jt).withTableName("item").usingGeneratedKeyColumns("id");
            out.add("key is the row: " + attempt(() -> jt.queryForObject("select name from item where id = ?",
                    String.class, items.executeAndReturnKey(Map.of("name", "a")))));
            out.add("key holder: " + attempt(() -> items.executeAndReturnKeyHolder(Map.of("name", "b")).getKeys().keySet()));
            SimpleJdbcInsert tags = new SimpleJdbcInsert(jt).withTableName("tag");
            out.add("insert: " + attempt(() -> tags.execute(Map.of("item_id", 1, "tag", "t"))));
            out.add("insert batch: " + attempt(() -> Arrays.toString(tags.executeBatch(Map.of("item_id", 1, "tag", "u"),
                    Map.of("item_id", 2, "tag", "v")))));
            out.add("items: " + attempt(() -> jt.queryForList("select name, qty, price from item order by name")));
            out.add("tags: " + attempt(() -> jt.queryForList("select * from tag order by tag")));
            out.add("batch update: " + attempt(() -> Arrays.toString(jt.batchUpdate(
                    "update item set qty = coalesce(qty, 0) + ? where name = ?",
                    List.of(new Object[] {1, "a"}, new Object[] {1, "none"}, new Object[] {2, "b"})))));
            out.add("batch of strings: " + attempt(() -> Arrays.toString(jt.batchUpdate("insert into tag values (9, 'n')",
                    "update tag set tag = 'm' where item_id = 9", "delete from tag where item_id = 42"))));

            DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
            TransactionTemplate required = new TransactionTemplate(tm);
            TransactionTemplate nested = new TransactionTemplate(tm);
            nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
            out.add("nested: " + attempt(() -> required.execute(status -> {
                jt.update("insert into tag values (10, 'outer')");
                try {
                    nested.executeWithoutResult(inner -> {
                        jt.update("insert into tag values (11, 'rolled back')");
                        throw new IllegalStateException("inner fails");
                    });
                } catch (IllegalStateException expected) {
                    // the savepoint took the inner insert back; the outer transaction goes on
                }
                nested.executeWithoutResult(inner -> jt.update("insert into tag values (12, 'inner')"));
                return jt.queryForList("select tag from tag where item_id >= 10 order by tag", String.class);
            })));
            out.add("after nested: " + jt.queryForList("select tag from tag where item_id >= 10 order by tag", String.class));
            TransactionTemplate readOnly = new TransactionTemplate(tm);
            readOnly.setReadOnly(true);
            out.add("read-only transaction: " + attempt(() -> readOnly.execute(status ->
                    jt.queryForObject("select count(*) from tag", Integer.class))));
            for (int isolation : new int[] {TransactionDefinition.ISOLATION_SERIALIZABLE,
                TransactionDefinition.ISOLATION_READ_UNCOMMITTED}) {
                TransactionTemplate isolated = new TransactionTemplate(tm);
                isolated.setIsolationLevel(isolation);
                isolated.setTimeout(5);
                out.add("isolation " + isolation + ": " + attempt(() -> isolated.execute(status ->
                        jt.update("insert into tag values (20, 'iso')"))));
            }
            out.add("rollback only: " + attempt(() -> required.execute(status -> {
                jt.update("insert into tag values (30, 'lost')");
                status.setRollbackOnly();
                return jt.queryForObject("select count(*) from tag where item_id = 30", Integer.class);
            })));
            out.add("returned mid-transaction: " + attempt(() -> {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    c.createStatement().executeUpdate("insert into tag values (31, 'lost')");
                } // Hikari rolls back what the connection left open
                return jt.queryForObject("select count(*) from tag where item_id in (30, 31)", Integer.class);
            }));
            out.add("column types: " + attempt(() -> {
                StringBuilder b = new StringBuilder();
                jt.queryForMap("select id, name, qty, price from item where name = 'a'").forEach((k, v) ->
                        b.append(k).append('=').append(v == null ? null : v.getClass().getSimpleName()).append(' '));
                return b;
            }));
        }
        return out;
    }

    @Test
    void jdbcTemplateSimpleJdbcInsertAndNestedTransactionsAnswerAsOnSqlite() {
        List<String> plain = outcomes("jdbc:sqlite:" + dir.resolve("plain.db"));
        List<String> corrosion = outcomes("jdbc:corrosion:" + dir.resolve("corrosion.db"));
        assertThat(corrosion).isEqualTo(plain);
        assertThat(corrosion).contains("after nested: [inner, outer]", "returned mid-transaction: 0");
    }

    /**
     * A transaction that read, then writes after another connection committed a write: SQLite refuses it
     * (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout. The driver's SQLState 40001 lets Spring say so
     * ({@link CannotAcquireLockException}, which retry templates catch); sqlite-jdbc's null state leaves it uncategorized.
     */
    @Test
    void aWriteOnAStaleSnapshotIsCannotAcquireLock() throws Exception {
        try (HikariDataSource ds = pool("jdbc:corrosion:" + dir.resolve("busy.db"), 2)) {
            JdbcTemplate jt = new JdbcTemplate(ds);
            jt.execute("create table counter (id integer primary key, n int)");
            try (Connection a = ds.getConnection(); Connection b = ds.getConnection()) {
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                a.createStatement().executeQuery("select count(*) from counter").close();
                b.createStatement().executeQuery("select count(*) from counter").close();
                a.createStatement().executeUpdate("insert into counter (n) values (1)");
                a.commit();
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> b.createStatement().executeUpdate("insert into counter (n) values (2)"));
                assertThat(e.getSQLState()).isEqualTo("40001");
                assertThat(jt.getExceptionTranslator().translate("insert", null, e))
                        .isInstanceOf(CannotAcquireLockException.class);
                b.rollback();
            }
            assertThat(jt.queryForList("select n from counter", Integer.class)).containsExactly(1);
        }
    }
}
