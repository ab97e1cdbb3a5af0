package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HikariCP, Hibernate 7 and jOOQ 3.19 work through jdbc:corrosion: unchanged. */
class FrameworksTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void hikariPoolsTheDriverAndClosingThePoolKeepsTheDatabaseOpen() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("pool.db");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        config.setUsername("ignored");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                c.createStatement().executeUpdate("create table t (id integer primary key, v text)");
                c.createStatement().executeUpdate("insert into t (v) values ('pooled')");
                assertThat(c.unwrap(CorrosionConnection.class).config().url()).isEqualTo(url);
            }
            try (Connection c = pool.getConnection(); var rs = c.createStatement().executeQuery("select v from t")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("pooled");
            }
        }
        // the pool closed its connections; the file's database object is still there until shutdown
        assertThat(CorrosionDriver.shutdown(url)).isTrue();
        assertThat(CorrosionDriver.shutdown(url)).isFalse();
    }

    @Entity(name = "Team")
    public static class Team {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;

        String name;

        @Version
        long version;

        public Team() {}

        Team(String name) {
            this.name = name;
        }
    }

    @Test
    void hibernateCreatesSchemaPersistsAndQueries() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("hibernate.db");
        Configuration cfg = new Configuration()
                .addAnnotatedClass(Team.class)
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .setProperty("hibernate.hbm2ddl.auto", "create")
                .setProperty("hibernate.connection.pool_size", "2");
        try (SessionFactory sf = cfg.buildSessionFactory()) {
            Integer id = sf.fromTransaction(s -> {
                Team a = new Team("red");
                s.persist(a);
                s.persist(new Team("blue"));
                return a.id;
            });
            assertThat(id).isNotNull();
            List<String> names = sf.fromSession(s ->
                    s.createQuery("select t.name from Team t order by t.id", String.class).getResultList());
            assertThat(names).containsExactly("red", "blue");
            sf.inTransaction(s -> s.find(Team.class, id).name = "crimson");
            String renamed = sf.fromSession(s -> s.find(Team.class, id).name);
            assertThat(renamed).isEqualTo("crimson");
        }
        try (Connection c = DriverManager.getConnection(url);
                var rs = c.createStatement().executeQuery("select count(*) from Team")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void jooqCreatesInsertsReturnsAndSelects() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("jooq.db"))) {
            DSLContext ctx = DSL.using(c, SQLDialect.SQLITE);
            var person = DSL.table(DSL.name("person"));
            var id = DSL.field(DSL.name("id"), SQLDataType.BIGINT.identity(true));
            var name = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(100).nullable(false));
            ctx.createTableIfNotExists(person).column(id).column(name)
                    .constraints(DSL.constraint("pk_person").primaryKey(id)).execute();
            ctx.alterTable(person).addColumn(DSL.field(DSL.name("email"), SQLDataType.VARCHAR(200))).execute();
            Record inserted = ctx.insertInto(person, name).values("ada").returning(id).fetchOne();
            assertThat(inserted.get(id)).isNotNull();
            ctx.insertInto(person, name).values("grace").execute();
            assertThat(ctx.select(name).from(person).orderBy(name).fetch(name)).containsExactly("ada", "grace");
            assertThat(ctx.fetchCount(person)).isEqualTo(2);
            ctx.update(person).set(name, "ada lovelace").where(name.eq("ada")).execute();
            assertThat(ctx.deleteFrom(person).where(name.eq("grace")).execute()).isEqualTo(1);
        }
    }
}
