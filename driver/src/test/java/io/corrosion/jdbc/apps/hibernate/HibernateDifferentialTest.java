package io.corrosion.jdbc.apps.hibernate;

import static io.corrosion.jdbc.apps.Outcomes.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Hibernate 7 session of work on {@code jdbc:sqlite:} and on {@code jdbc:corrosion:}, outcome by outcome: batched
 * inserts and updates, value types, element collections and a join table, JOINED and SINGLE_TABLE inheritance,
 * optimistic locking, bulk HQL and native statements, then {@code hbm2ddl update} and {@code validate} of the schema it
 * made, which must change nothing and pass.
 */
class HibernateDifferentialTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Entity(name = "Doc")
    @Table(name = "doc")
    public static class Doc {
        @Id
        Long id;
        @Version
        int version;
        String title;
        byte[] body;
        LocalDateTime at;
        LocalDate day;
        UUID uuid;
        @Column(precision = 19, scale = 4)
        BigDecimal amount;
        boolean flag;
        @ElementCollection
        Set<String> tags = new HashSet<>();
        @ElementCollection
        @OrderColumn
        List<String> lines = new ArrayList<>();
        @ElementCollection
        Map<String, Integer> counts = new HashMap<>();
        @ManyToMany
        Set<Doc> related = new HashSet<>();

        public Doc() {}

        Doc(long id) {
            this.id = id;
            title = "t" + id;
            body = new byte[] {1, (byte) id, 0, -1};
            at = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789);
            day = LocalDate.of(2024, 2, 29);
            uuid = new UUID(id, -id);
            amount = new BigDecimal("12345.6789").multiply(BigDecimal.valueOf(id));
            flag = id % 2 == 0;
            tags.addAll(List.of("a" + id, "b"));
            lines.addAll(List.of("x", "y" + id));
            counts.put("k", (int) id);
        }

        @Override
        public String toString() {
            return String.join(" ", title, Arrays.toString(body), String.valueOf(at), String.valueOf(day),
                    String.valueOf(uuid), String.valueOf(amount), String.valueOf(flag), String.valueOf(new TreeSet<>(tags)),
                    String.valueOf(lines), String.valueOf(counts), "v" + version);
        }
    }

    @Entity(name = "Animal")
    @Inheritance(strategy = InheritanceType.JOINED)
    public static class Animal {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;
        String name;

        public Animal() {}
    }

    @Entity(name = "Dog")
    public static class Dog extends Animal {
        int barks;

        public Dog() {}
    }

    @Entity(name = "Shape")
    @Inheritance(strategy = InheritanceType.SINGLE_TABLE)
    public static class Shape {
        @Id
        Long id;
        String color;

        public Shape() {}
    }

    @Entity(name = "Circle")
    public static class Circle extends Shape {
        double r;

        public Circle() {}
    }

    private static SessionFactory sessionFactory(String url, String hbm2ddl) {
        Configuration cfg = new Configuration()
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .setProperty("hibernate.hbm2ddl.auto", hbm2ddl)
                .setProperty("hibernate.jdbc.batch_size", "10")
                .setProperty("hibernate.order_inserts", "true")
                .setProperty("hibernate.order_updates", "true")
                .setProperty("hibernate.connection.pool_size", "2");
        List.of(Doc.class, Animal.class, Dog.class, Shape.class, Circle.class).forEach(cfg::addAnnotatedClass);
        return cfg.buildSessionFactory();
    }


    private static List<String> rows(List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).toList();
    }

    private static List<String> outcomes(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (SessionFactory sf = sessionFactory(url, "create")) {
            out.add("persist: " + attempt(() -> sf.fromTransaction(s -> {
                for (long i = 1; i <= 25; i++) {
                    s.persist(new Doc(i));
                }
                for (int i = 0; i < 5; i++) {
                    Dog d = new Dog();
                    d.name = "dog" + i;
                    d.barks = i;
                    s.persist(d);
                }
                for (long i = 1; i <= 3; i++) {
                    Circle c = new Circle();
                    c.id = i;
                    c.color = "red";
                    c.r = i;
                    s.persist(c);
                    Shape plain = new Shape();
                    plain.id = 100 + i;
                    plain.color = "blue";
                    s.persist(plain);
                }
                return "ok";
            })));
            out.add("join table: " + attempt(() -> sf.fromTransaction(s -> {
                Doc a = s.find(Doc.class, 1L);
                a.related.add(s.find(Doc.class, 2L));
                a.related.add(s.find(Doc.class, 3L));
                return "ok";
            })));
            out.add("read: " + attempt(() -> sf.fromSession(s -> s.find(Doc.class, 3L).toString())));
            out.add("related: " + attempt(() -> sf.fromSession(s ->
                    s.find(Doc.class, 1L).related.stream().map(d -> d.id).sorted().toList())));
            out.add("batched updates: " + attempt(() -> sf.fromTransaction(s -> {
                List<Doc> all = s.createQuery("from Doc order by id", Doc.class).getResultList();
                for (Doc d : all) {
                    d.title += "!";
                    d.tags.remove("b");
                    d.lines.remove(0);
                    d.counts.put("k2", 2);
                }
                return all.size();
            })));
            out.add("versions: " + attempt(() -> sf.fromSession(s ->
                    s.createQuery("select d.version from Doc d order by d.id", Integer.class).getResultList())));
            for (String op : List.of("merge", "remove")) {
                long id = op.equals("merge") ? 5L : 6L;
                out.add("stale " + op + ": " + attempt(() -> {
                    Doc stale = sf.fromSession(s -> s.find(Doc.class, id));
                    sf.inTransaction(s -> s.find(Doc.class, id).title = "fresh");
                    stale.title = "stale";
                    sf.inTransaction(s -> {
                        if (op.equals("merge")) {
                            s.merge(stale);
                        } else {
                            s.remove(s.merge(stale));
                        }
                    });
                    return "no conflict";
                }));
            }
            for (String hql : List.of("update Doc set title = 'bulk' where id > 20",
                    "update versioned Doc set title = 'bulk2' where id > 22", "delete from Dog where barks > 2",
                    "delete from Animal where name = 'dog0'", "update Circle set color = 'green'")) {
                out.add(hql + ": " + attempt(() -> sf.fromTransaction(s -> s.createMutationQuery(hql).executeUpdate())));
            }
            out.add("native update: " + attempt(() -> sf.fromTransaction(s ->
                    s.createNativeMutationQuery("update doc set flag = 1 where id < 4").executeUpdate())));
            out.add("native select: " + attempt(() -> sf.fromSession(s -> rows(s.createNativeQuery(
                    "select id, title, flag from doc where id < 5 order by id", Object[].class).getResultList()))));
            out.add("dogs: " + attempt(() -> sf.fromSession(s -> rows(s.createQuery(
                    "select d.name, d.barks from Dog d order by d.name", Object[].class).getResultList()))));
            out.add("shapes: " + attempt(() -> sf.fromSession(s -> rows(s.createQuery(
                    "select s.id, s.color, type(s) from Shape s order by s.id", Object[].class).getResultList()))));
            out.add("remove with collections: " + attempt(() -> sf.fromTransaction(s -> {
                s.createQuery("from Doc where id > 15", Doc.class).getResultList().forEach(s::remove);
                return "ok";
            })));
            out.add("rows left: " + attempt(() -> Arrays.toString(sf.<Object[]>fromSession(s -> s.createNativeQuery(
                    "select (select count(*) from doc), (select count(*) from Doc_tags), (select count(*) from Doc_lines),"
                            + " (select count(*) from Doc_counts), (select count(*) from doc_doc)", Object[].class)
                    .getSingleResult()))));
        }
        String schema = schema(url);
        out.add("schema: " + schema);
        out.add("hbm2ddl update: " + attempt(() -> {
            sessionFactory(url, "update").close();
            return schema.equals(schema(url)) ? "schema unchanged" : "schema changed: " + schema(url);
        }));
        out.add("hbm2ddl validate: " + attempt(() -> {
            sessionFactory(url, "validate").close();
            return "ok";
        }));
        return out;
    }

    /**
     * The schema as Hibernate's update and validation read it: tables, columns, keys and indexes from
     * DatabaseMetaData. SQLite's own index of a non-INTEGER primary key is left out: the driver declares such a key
     * INTEGER, a rowid alias, which needs none (README, "Generated keys").
     */
    private static String schema(String url) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData md = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet t = md.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (t.next()) {
                    tables.add(t.getString("TABLE_NAME"));
                }
            }
            for (String table : new TreeSet<>(tables)) {
                b.append("\n").append(table);
                append(b, md.getColumns(null, null, table, "%"), "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE",
                        "DECIMAL_DIGITS", "IS_NULLABLE", "COLUMN_DEF", "IS_AUTOINCREMENT");
                append(b, md.getPrimaryKeys(null, null, table), "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
                append(b, md.getImportedKeys(null, null, table), "FKCOLUMN_NAME", "PKTABLE_NAME", "PKCOLUMN_NAME");
                append(b, md.getIndexInfo(null, null, table, false, false), "INDEX_NAME", "NON_UNIQUE", "COLUMN_NAME");
            }
        }
        return b.toString().replaceAll("\n {2}\\[sqlite_autoindex_\\w+, 0, id]", "");
    }

    private static void append(StringBuilder b, ResultSet rs, String... labels) throws SQLException {
        try (rs) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (String label : labels) {
                    row.add(rs.getString(label));
                }
                b.append("\n  ").append(row);
            }
        }
    }

    @Test
    void aSessionOfWorkAndASchemaUpdateAnswerAsOnSqlite() throws SQLException {
        List<String> plain = outcomes("jdbc:sqlite:" + dir.resolve("plain.db"));
        List<String> corrosion = outcomes("jdbc:corrosion:" + dir.resolve("corrosion.db"));
        assertThat(corrosion).isEqualTo(plain);
        assertThat(corrosion).contains("stale merge: threw OptimisticLockException StaleObjectStateException",
                "hbm2ddl update: schema unchanged", "hbm2ddl validate: ok");
    }
}
