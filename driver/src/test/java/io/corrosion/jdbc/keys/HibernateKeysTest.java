package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.keys.KeyEntities.Named;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** Hibernate 7 with every id strategy through jdbc:corrosion: on one file. */
class HibernateKeysTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /**
     * IDENTITY inserts run first, so the transaction holds SQLite's write lock when the table-backed generators fetch
     * their next values on Hibernate's second connection: on plain SQLite that is SQLITE_BUSY; here it just works.
     */
    @Test
    void everyStrategyInOneTransactionGetsNodePrivateIdsThatReadBack() {
        String url = "jdbc:corrosion:" + dir.resolve("hibernate.db") + "?node-slot=17";
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "create", 2)) {
            List<Named> saved = sf.fromTransaction(s -> {
                List<Named> all = new ArrayList<>();
                for (int round = 0; round < 12; round++) {
                    for (var make : List.of(KeyEntities.NEW.get(1), KeyEntities.NEW.get(2), KeyEntities.NEW.get(0),
                            KeyEntities.NEW.get(3), KeyEntities.NEW.get(4), KeyEntities.NEW.get(5))) {
                        Named e = make.apply("round " + round);
                        s.persist(e);
                        all.add(e);
                    }
                }
                return all;
            });
            for (Named e : saved) {
                long id = ((Number) e.id()).longValue();
                assertThat(KeyEntities.isNodePrivate(e.getClass(), id, 17))
                        .as("%s id %d is this node's", e.getClass().getSimpleName(), id).isTrue();
                Named found = sf.fromSession(s -> s.find(e.getClass(), e.id()));
                assertThat(found).as("%s %s", e.getClass().getSimpleName(), e.id()).isNotNull();
                assertThat(found.name()).isEqualTo(e.name());
            }
        }
    }

    @Test
    void identityKeysAreSlotInterleaved() {
        String url = "jdbc:corrosion:" + dir.resolve("identity.db") + "?node-slot=17";
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "create", 2)) {
            List<Long> ids = sf.fromTransaction(s -> {
                List<Long> list = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    KeyEntities.Member m = new KeyEntities.Member("m" + i);
                    s.persist(m);
                    list.add(m.id);
                }
                return list;
            });
            assertThat(ids).containsExactly(18L, 1042L, 2066L);
        }
    }

    /**
     * Beyond 2^31 keys: a Long IDENTITY id just works; an Integer one fails loudly when Hibernate reads the key (and
     * the transaction rolls back), instead of Hibernate taking the key's low 32 bits for the entity's id.
     */
    @Test
    void identityKeysBeyondTheIntRange() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("wide.db") + "?node-slot=17";
        long beyond = IdScheme.counterOf(Integer.MAX_VALUE) + 1;
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "create", 2)) {
            try (Connection c = DriverManager.getConnection(url)) {
                c.createStatement().executeUpdate("insert into " + Reservations.TABLE + " (name, next) values "
                        + "('key:team', " + beyond + "), ('key:member', " + beyond + ")");
            }
            CorrosionDriver.shutdownAll(); // the allocator reads the counters afresh
            Long memberId = sf.fromTransaction(s -> {
                KeyEntities.Member m = new KeyEntities.Member("wide");
                s.persist(m);
                return m.id;
            });
            assertThat(memberId).isEqualTo(IdScheme.id(beyond, 17)).isGreaterThan(Integer.MAX_VALUE);
            String name = sf.fromSession(s -> s.find(KeyEntities.Member.class, memberId).name);
            assertThat(name).isEqualTo("wide");
            Throwable failure = catchThrowable(() -> sf.inTransaction(s -> s.persist(new KeyEntities.Team("narrow"))));
            assertThat(failure).isNotNull();
            assertThat(Stream.iterate(failure, Objects::nonNull, Throwable::getCause)
                    .filter(SQLException.class::isInstance).map(e -> ((SQLException) e).getSQLState()))
                    .contains("22003");
            long teams = sf.fromSession(s -> s.createQuery("select count(*) from Team", Long.class).getSingleResult());
            assertThat(teams).isZero();
        }
    }

    @Test
    void generatorAndScratchTablesAreLocalAndKeysAreRowidAliases() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("schema.db");
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "create", 2)) {
            sf.inTransaction(s -> s.persist(new KeyEntities.Customer("x")));
        }
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("select rowid = id from Customer")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            LocalTables local = new LocalTables(CorrosionConfig.parse(url, null).node());
            local.scan(c.unwrap(SQLiteConnection.class)); // what the driver does when it opens the file
            for (String table : List.of("Customer_SEQ", "order_ids", "id_blocks", "hibernate_sequences",
                    "HTE_Customer")) {
                assertThat(local.isLocal(table)).as(table).isTrue();
            }
            for (String table : List.of("Customer", "Team", "Member", "Orders", "Invoice", "Shipment")) {
                assertThat(local.isLocal(table)).as(table).isFalse();
            }
        }
    }

    /**
     * Hibernate validates the schema it created: the driver reports the key types Hibernate declared. (Member, a Long
     * IDENTITY id, is left out: Hibernate declares it {@code integer} and then fails its own validation on plain
     * SQLite too.)
     */
    @Test
    void schemaValidationPassesOnTheRewrittenSchema() {
        List<Class<?>> validated = List.of(KeyEntities.Customer.class, KeyEntities.Team.class,
                KeyEntities.Order.class, KeyEntities.Invoice.class, KeyEntities.Shipment.class);
        String url = "jdbc:corrosion:" + dir.resolve("validate.db");
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "create", 2, validated)) {
            sf.inTransaction(s -> s.persist(new KeyEntities.Customer("x")));
        }
        try (SessionFactory sf = KeyEntities.sessionFactory(url, "validate", 2, validated)) {
            long count = sf.fromSession(s -> s.createQuery("select count(*) from Customer", Long.class).getSingleResult());
            assertThat(count).isEqualTo(1);
        }
    }
}
