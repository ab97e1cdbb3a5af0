package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate 7 (community SQLiteDialect) on two nodes: the schema it generates works unchanged (create, validate,
 * update), entities with generated ids persisted concurrently on both merge into the same tables without a lost row
 * or a collision, and concurrent edits of different fields of one entity both survive.
 */
class HibernateReplicationTest {
    private static final int THREADS = 2;
    private static final int PER_THREAD = 6;

    public enum Status { ACTIVE, RETIRED }

    /** IDENTITY with an Integer id: a Long one is declared "integer" but validated as "bigint", also on plain SQLite. */
    @Entity(name = "Team")
    public static class Team {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;
        @Column(nullable = false, unique = true)
        String name;
        String city;

        public Team() {}

        Team(String name, String city) {
            this.name = name;
            this.city = city;
        }
    }

    @Entity(name = "Player")
    @Table(name = "Player")
    public static class Player {
        @Id
        @GeneratedValue
        Long id;
        @Column(nullable = false)
        String name;
        @Enumerated(EnumType.STRING)
        @Column(nullable = false)
        Status status = Status.ACTIVE;
        int goals;
        @ManyToOne(fetch = FetchType.LAZY)
        Team team;
        @ElementCollection(fetch = FetchType.EAGER)
        List<String> nicknames = new ArrayList<>();

        public Player() {}

        Player(String name, Team team, String... nicknames) {
            this.name = name;
            this.team = team;
            this.nicknames.addAll(Arrays.asList(nicknames));
        }
    }

    /** Player as a later version of the application maps it: one more column, which hbm2ddl update adds. */
    @Entity(name = "Player")
    @Table(name = "Player")
    public static class PlayerV2 {
        @Id
        @GeneratedValue
        Long id;
        @Column(nullable = false)
        String name;
        @Enumerated(EnumType.STRING)
        @Column(nullable = false)
        Status status = Status.ACTIVE;
        int goals;
        @ManyToOne(fetch = FetchType.LAZY)
        Team team;
        @ElementCollection(fetch = FetchType.EAGER)
        List<String> nicknames = new ArrayList<>();
        String position;

        public PlayerV2() {}
    }

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private String url(String node) {
        // Each node its own slot, as the README asks: two nodes that never see each other's claims pick their slots
        // by a hash of their site ids, and 1 run in 1024 they picked the same one and generated the same ids.
        return "jdbc:corrosion:" + dir.resolve(node + ".db") + "?node-slot=" + (node.equals("a") ? 1 : 2);
    }

    private static SessionFactory hibernate(String url, String hbm2ddl, Class<?>... entities) {
        Configuration cfg = new Configuration()
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .setProperty("hibernate.hbm2ddl.auto", hbm2ddl)
                .setProperty("hibernate.hbm2ddl.halt_on_error", "true")
                .setProperty("hibernate.connection.pool_size", String.valueOf(THREADS + 2));
        for (Class<?> e : entities) {
            cfg.addAnnotatedClass(e);
        }
        return cfg.buildSessionFactory();
    }

    @Test
    void entitiesPersistedConcurrentlyOnTwoNodesMergeWithoutLossOrCollision() throws Exception {
        try (SessionFactory a = hibernate(url("a"), "create", Team.class, Player.class);
                SessionFactory b = hibernate(url("b"), "create", Team.class, Player.class)) {
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    work.add(pool.submit(persister(a, "a" + t)));
                    work.add(pool.submit(persister(b, "b" + t)));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        try (Connection ca = DriverManager.getConnection(url("a")); Connection cb = DriverManager.getConnection(url("b"))) {
            exchange(ca, cb);
            int players = 2 * THREADS * PER_THREAD;
            for (Connection c : List.of(ca, cb)) {
                assertThat(count(c, "select count(*) from Player")).isEqualTo(players);
                assertThat(count(c, "select count(distinct id) from Player")).as("no two ids collided").isEqualTo(players);
                assertThat(count(c, "select count(*) from Team")).isEqualTo(2 * THREADS);
                assertThat(count(c, "select count(*) from Player_nicknames")).isEqualTo(2L * players);
                assertThat(count(c, "select count(*) from Player p join Team t on p.team_id = t.id")).isEqualTo(players);
            }
            assertThat(dump(cb)).isEqualTo(dump(ca));
        }
    }

    private static Runnable persister(SessionFactory sf, String name) {
        return () -> sf.inTransaction(s -> {
            Team team = new Team("team " + name, "city " + name);
            s.persist(team);
            for (int i = 0; i < PER_THREAD; i++) {
                s.persist(new Player(name + "-" + i, team, "nick" + i, "alias" + i));
            }
        });
    }

    @Test
    void concurrentEditsOfDifferentFieldsOfOneEntityBothSurvive() throws Exception {
        long id;
        try (SessionFactory a = hibernate(url("a"), "create", Team.class, Player.class)) {
            id = a.fromTransaction(s -> {
                Team team = new Team("red", "london");
                s.persist(team);
                Player p = new Player("ada", team);
                s.persist(p);
                return p.id;
            });
        }
        try (SessionFactory b = hibernate(url("b"), "create", Team.class, Player.class);
                Connection ca = DriverManager.getConnection(url("a")); Connection cb = DriverManager.getConnection(url("b"))) {
            exchange(ca, cb);
            try (SessionFactory a = hibernate(url("a"), "validate", Team.class, Player.class)) {
                a.inTransaction(s -> s.find(Player.class, id).goals = 3);
                b.inTransaction(s -> s.find(Player.class, id).status = Status.RETIRED);
                b.inTransaction(s -> s.createQuery("from Team where name = 'red'", Team.class).getSingleResult().city = "paris");
            }
            exchange(ca, cb);
            for (Connection c : List.of(ca, cb)) {
                try (var rs = c.createStatement().executeQuery(
                        "select p.goals, p.status, t.city from Player p join Team t on t.id = p.team_id where p.id = " + id)) {
                    rs.next();
                    assertThat(List.of(rs.getInt(1), rs.getString(2), rs.getString(3))).containsExactly(3, "RETIRED", "paris");
                }
            }
        }
    }

    @Test
    void validateAndUpdateSeeOnlyTheApplicationsSchema() throws Exception {
        try (SessionFactory a = hibernate(url("a"), "create", Team.class, Player.class)) {
            a.inTransaction(s -> s.persist(new Player("before", null)));
        }
        try (SessionFactory validated = hibernate(url("a"), "validate", Team.class, Player.class)) {
            Long players = validated.fromTransaction(s -> s.createQuery("select count(p) from Player p", Long.class)
                    .getSingleResult());
            assertThat(players).isEqualTo(1L);
        }
        try (SessionFactory updated = hibernate(url("a"), "update", Team.class, PlayerV2.class)) {
            updated.inTransaction(s -> s.createQuery("from Player", PlayerV2.class).getSingleResult().position = "keeper");
        }
        try (SessionFactory validated = hibernate(url("a"), "validate", Team.class, PlayerV2.class);
                Connection c = DriverManager.getConnection(url("a"))) {
            assertThat(validated).isNotNull();
            List<Change> position = c.unwrap(CorrosionConnection.class).changesSince(0).stream()
                    .filter(ch -> ch.cid().equals("position")).toList();
            assertThat(position).extracting(Change::val).containsExactly("keeper");
        }
    }

    private static void exchange(Connection a, Connection b) throws SQLException {
        CorrosionConnection ca = a.unwrap(CorrosionConnection.class);
        CorrosionConnection cb = b.unwrap(CorrosionConnection.class);
        List<Change> fromA = ca.changesSince(0);
        List<Change> fromB = cb.changesSince(0);
        byte[] siteA = ca.siteId();
        byte[] siteB = cb.siteId();
        cb.applyChanges(fromA.stream().filter(ch -> !Arrays.equals(ch.siteId(), siteB)).toList());
        ca.applyChanges(fromB.stream().filter(ch -> !Arrays.equals(ch.siteId(), siteA)).toList());
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> dump(Connection c) throws SQLException {
        Set<String> rows = new HashSet<>();
        for (String sql : List.of("select id, name, status, goals, team_id from Player", "select id, name, city from Team",
                "select Player_id, nicknames from Player_nicknames")) {
            try (var rs = c.createStatement().executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder(sql.substring(sql.lastIndexOf(' ') + 1));
                    for (int i = 1; i <= n; i++) {
                        row.append('|').append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }
}
