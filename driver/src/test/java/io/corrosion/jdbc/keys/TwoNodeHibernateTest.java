package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.keys.KeyEntities.Named;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * Two database files stand for two nodes. Hibernate persists entities of every id strategy on both at once, from
 * several threads each; the ids of the two nodes never meet (so their rows could never merge into one), and every
 * entity reads back under the id Hibernate assigned.
 */
class TwoNodeHibernateTest {
    private static final int THREADS = 3;
    private static final int TRANSACTIONS = 4;
    private static final int PER_TRANSACTION = 2;

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    @Test
    void configuredSlots() throws Exception {
        runBothNodes("jdbc:corrosion:" + dir.resolve("a.db") + "?node-slot=1",
                "jdbc:corrosion:" + dir.resolve("b.db") + "?node-slot=2", 1, 2);
    }

    /**
     * Node A claims a slot; its claim reaches B (as replication will carry it) before B first opens its file, and B's
     * site id is chosen so that B would prefer exactly A's slot: B must probe past it.
     */
    @Test
    void claimedSlots() throws Exception {
        String urlA = "jdbc:corrosion:" + dir.resolve("a.db");
        String urlB = "jdbc:corrosion:" + dir.resolve("b.db");
        int slotA;
        byte[] siteA;
        try (Connection a = DriverManager.getConnection(urlA);
                ResultSet rs = a.createStatement().executeQuery("select slot, site_id from __corrosion_node_slots")) {
            rs.next();
            slotA = rs.getInt(1);
            siteA = rs.getBytes(2);
        }
        byte[] siteB = siteIdPreferring(slotA);
        try (SQLiteConnection b = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("b.db"))) {
            KeysSchema.create(b);
            try (Statement siteIds = b.createStatement()) {
                siteIds.executeUpdate("create table crsql_site_id (site_id blob not null, ordinal integer primary key)");
            }
            try (PreparedStatement claim = b.prepareStatement(
                    "insert into __corrosion_node_slots (slot, site_id, claimed_at) values (?, ?, 1)");
                    PreparedStatement own = b.prepareStatement( // the CRR engine's site id, as it will find it
                            "insert into crsql_site_id (site_id, ordinal) values (?, 0)")) {
                claim.setInt(1, slotA);
                claim.setBytes(2, siteA);
                claim.executeUpdate();
                own.setBytes(1, siteB);
                own.executeUpdate();
            }
        }
        runBothNodes(urlA, urlB, slotA, (slotA + 1) % IdScheme.SLOTS);
    }

    private static byte[] siteIdPreferring(int slot) {
        SecureRandom random = new SecureRandom();
        byte[] site = new byte[16];
        do {
            random.nextBytes(site);
        } while (SlotClaims.preferredSlot(site) != slot);
        return site;
    }

    private void runBothNodes(String urlA, String urlB, int slotA, int slotB) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
        try (SessionFactory a = KeyEntities.sessionFactory(urlA, "create", THREADS + 2);
                SessionFactory b = KeyEntities.sessionFactory(urlB, "create", THREADS + 2)) {
            List<Future<List<Named>>> fromA = new ArrayList<>();
            List<Future<List<Named>>> fromB = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                fromA.add(pool.submit(persister(a, "a" + t)));
                fromB.add(pool.submit(persister(b, "b" + t)));
            }
            List<Named> savedA = collect(fromA);
            List<Named> savedB = collect(fromB);
            int expected = THREADS * TRANSACTIONS * PER_TRANSACTION;
            Map<Class<?>, Set<Long>> idsA = idsByEntity(savedA, expected);
            Map<Class<?>, Set<Long>> idsB = idsByEntity(savedB, expected);
            for (Class<?> entity : KeyEntities.CLASSES) {
                Set<Long> common = new HashSet<>(idsA.get(entity));
                common.retainAll(idsB.get(entity));
                assertThat(common).as("%s ids both nodes used", entity.getSimpleName()).isEmpty();
                assertThat(idsA.get(entity)).allMatch(id -> KeyEntities.isNodePrivate(entity, id, slotA));
                assertThat(idsB.get(entity)).allMatch(id -> KeyEntities.isNodePrivate(entity, id, slotB));
            }
            readBack(a, savedA);
            readBack(b, savedB);
        } finally {
            pool.shutdownNow();
        }
        assertThat(slotOf(urlA)).isEqualTo(slotA);
        assertThat(slotOf(urlB)).isEqualTo(slotB);
    }

    private static Callable<List<Named>> persister(SessionFactory sf, String thread) {
        return () -> {
            List<Named> saved = new ArrayList<>();
            for (int tx = 0; tx < TRANSACTIONS; tx++) {
                int round = tx;
                saved.addAll(sf.fromTransaction(s -> {
                    List<Named> batch = new ArrayList<>();
                    for (int i = 0; i < PER_TRANSACTION; i++) {
                        for (var make : KeyEntities.NEW) {
                            Named e = make.apply(thread + "/" + round + "/" + i);
                            s.persist(e);
                            batch.add(e);
                        }
                    }
                    return batch;
                }));
            }
            return saved;
        };
    }

    private static List<Named> collect(List<Future<List<Named>>> futures) throws Exception {
        List<Named> all = new ArrayList<>();
        for (Future<List<Named>> f : futures) {
            all.addAll(f.get());
        }
        return all;
    }

    private static Map<Class<?>, Set<Long>> idsByEntity(List<Named> saved, int expectedPerEntity) {
        Map<Class<?>, Set<Long>> ids = new HashMap<>();
        for (Named e : saved) {
            long id = ((Number) e.id()).longValue();
            assertThat(ids.computeIfAbsent(e.getClass(), k -> new HashSet<>()).add(id))
                    .as("%s id %d assigned twice on one node", e.getClass().getSimpleName(), id).isTrue();
        }
        for (Class<?> entity : KeyEntities.CLASSES) {
            assertThat(ids.get(entity)).as(entity.getSimpleName()).hasSize(expectedPerEntity);
        }
        return ids;
    }

    private static void readBack(SessionFactory sf, List<Named> saved) {
        sf.inSession(s -> {
            for (Named e : saved) {
                Named found = s.find(e.getClass(), e.id());
                assertThat(found).as("%s %s", e.getClass().getSimpleName(), e.id()).isNotNull();
                assertThat(found.name()).isEqualTo(e.name());
            }
        });
    }

    private static int slotOf(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("select slot from __corrosion_keys_node")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
