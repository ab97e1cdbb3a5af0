package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jOOQ 3.19 and plain JDBC on two files (two nodes): keys never meet, and what is reported is what was stored. */
class JooqAndJdbcKeysTest {
    private static final Table<Record> PERSON = DSL.table(DSL.name("person"));
    private static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT.identity(true));
    private static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(100).nullable(false));

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private Connection node(String name, int slot) throws SQLException {
        return DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db") + "?node-slot=" + slot);
    }

    /** jOOQ's DDL ({@code int8 not null ... constraint pk primary key (id)}), returning and batches. */
    private static Map<Long, String> jooqWork(Connection c, String node) {
        DSLContext ctx = DSL.using(c, SQLDialect.SQLITE);
        ctx.createTableIfNotExists(PERSON).column(ID).column(NAME)
                .constraints(DSL.constraint("pk_person").primaryKey(ID)).execute();
        Map<Long, String> stored = new java.util.HashMap<>();
        for (int i = 0; i < 20; i++) {
            String name = node + " returning " + i;
            Record r = ctx.insertInto(PERSON, NAME).values(name).returning(ID, NAME).fetchOne();
            assertThat(r.get(NAME)).isEqualTo(name);
            stored.put(r.get(ID), name);
        }
        List<org.jooq.Query> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(ctx.insertInto(PERSON, NAME).values(node + " batch " + i));
        }
        ctx.batch(batch).execute();
        var bind = ctx.batch(ctx.insertInto(PERSON, NAME).values((String) null));
        for (int i = 0; i < 30; i++) {
            bind = bind.bind(node + " bound " + i);
        }
        bind.execute();
        for (Record r : ctx.select(ID, NAME).from(PERSON).where(NAME.like(node + " b%")).fetch()) {
            stored.put(r.get(ID), r.get(NAME));
        }
        return stored;
    }

    @Test
    void jooqOnTwoNodes() throws SQLException {
        try (Connection a = node("a", 1); Connection b = node("b", 2)) {
            Map<Long, String> fromA = jooqWork(a, "a");
            Map<Long, String> fromB = jooqWork(b, "b");
            assertThat(fromA).hasSize(80);
            assertThat(fromB).hasSize(80);
            assertThat(fromA.keySet()).doesNotContainAnyElementsOf(fromB.keySet());
            assertThat(fromA.keySet()).allMatch(id -> IdScheme.slotOf(id) == 1);
            assertThat(fromB.keySet()).allMatch(id -> IdScheme.slotOf(id) == 2);
            DSLContext ctx = DSL.using(a, SQLDialect.SQLITE);
            fromA.forEach((id, name) -> assertThat(ctx.select(NAME).from(PERSON).where(ID.eq(id)).fetchOne(NAME))
                    .isEqualTo(name));
        }
    }

    private static Set<Long> jdbcWork(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("create table if not exists item (id integer primary key, label text)");
        }
        Set<Long> keys = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("insert into item (label) values (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < 50; i++) {
                ps.setString(1, "item " + i);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    long key = rs.getLong(1);
                    keys.add(key);
                    try (PreparedStatement check = c.prepareStatement("select label from item where id = ?")) {
                        check.setLong(1, key);
                        try (ResultSet row = check.executeQuery()) {
                            assertThat(row.next()).isTrue();
                            assertThat(row.getString(1)).isEqualTo("item " + i);
                        }
                    }
                }
            }
        }
        return keys;
    }

    @Test
    void plainJdbcGeneratedKeysOnTwoNodes() throws SQLException {
        try (Connection a = node("a", 1); Connection b = node("b", 1023)) {
            Set<Long> fromA = jdbcWork(a);
            Set<Long> fromB = jdbcWork(b);
            assertThat(fromA).hasSize(50).doesNotContainAnyElementsOf(fromB);
            assertThat(fromB).hasSize(50).allMatch(id -> IdScheme.slotOf(id) == 1023);
        }
    }
}
