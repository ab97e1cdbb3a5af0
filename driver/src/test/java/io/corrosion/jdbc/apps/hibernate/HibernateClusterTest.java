package io.corrosion.jdbc.apps.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.apps.LoopbackCluster;
import io.corrosion.jdbc.apps.hibernate.Library.Author;
import io.corrosion.jdbc.apps.hibernate.Library.AuthorWithBio;
import io.corrosion.jdbc.apps.hibernate.Library.Book;
import io.corrosion.jdbc.replication.GateTuning;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernate 7 (community SQLiteDialect) on three nodes of a cluster, each with its own SessionFactory, pool and
 * {@code hbm2ddl}, as three instances of one application would run.
 */
class HibernateClusterTest {
    private static final int NODES = 3;

    @TempDir
    static Path dir;

    static LoopbackCluster cluster;
    static final List<SessionFactory> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = LoopbackCluster.start(dir, "hibernate", NODES);
        for (int i = 0; i < NODES; i++) {
            nodes.add(sessionFactory(cluster.url(i), "create", Author.class, Book.class));
        }
    }

    static SessionFactory sessionFactory(String url, String hbm2ddl, Class<?>... entities) {
        Configuration cfg = new Configuration()
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .setProperty("hibernate.hbm2ddl.auto", hbm2ddl)
                .setProperty("hibernate.connection.pool_size", "4")
                .setProperty("hibernate.jdbc.batch_size", "25")
                .setProperty("hibernate.order_inserts", "true")
                .setProperty("hibernate.order_updates", "true");
        for (Class<?> entity : entities) {
            cfg.addAnnotatedClass(entity);
        }
        return cfg.buildSessionFactory();
    }

    @AfterAll
    static void stop() throws Exception {
        nodes.forEach(SessionFactory::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAuthorAndHerBooksSavedOnOneNodeAreFoundByJpqlAndCriteriaOnTheOthers() throws Exception {
        Long authorId = nodes.get(0).fromTransaction(s -> {
            Author ursula = new Author("Ursula");
            for (int i = 1; i <= 30; i++) { // batched: the books' ids come from the table generator, not IDENTITY
                ursula.write("Earthsea " + i, 100 + i);
            }
            s.persist(ursula);
            return ursula.id;
        });
        cluster.awaitReplicatedFrom(0);

        List<String> titles = nodes.get(1).fromSession(s -> s.createQuery(
                "select b.title from Book b join b.author a where a.name = :name and b.pages > 125 order by b.pages",
                String.class).setParameter("name", "Ursula").getResultList());
        assertThat(titles).containsExactly("Earthsea 26", "Earthsea 27", "Earthsea 28", "Earthsea 29", "Earthsea 30");

        Long count = nodes.get(2).fromSession(s -> {
            CriteriaBuilder cb = s.getCriteriaBuilder();
            CriteriaQuery<Long> q = cb.createQuery(Long.class);
            Root<Book> book = q.from(Book.class);
            q.select(cb.count(book)).where(cb.equal(book.get("author").get("id"), authorId));
            return s.createQuery(q).getSingleResult();
        });
        assertThat(count).isEqualTo(30);
        Author onC = nodes.get(2).fromSession(s -> s.createQuery(
                "select a from Author a join fetch a.books where a.id = :id", Author.class)
                .setParameter("id", authorId).getSingleResult());
        assertThat(onC.name).isEqualTo("Ursula");
        assertThat(onC.books).hasSize(30).allSatisfy(b -> assertThat(b.author.id).isEqualTo(authorId));
    }

    @Test
    void idsGeneratedOnEveryNodeAtOnceNeverCollide() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<List<long[]>>> saved = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                SessionFactory sf = nodes.get(n);
                String who = "writer " + n;
                saved.add(pool.submit((Callable<List<long[]>>) () -> {
                    List<long[]> ids = new ArrayList<>();
                    for (int tx = 0; tx < 5; tx++) {
                        ids.add(sf.fromTransaction(s -> {
                            Author a = new Author(who);
                            Book one = a.write("first", 1);
                            Book two = a.write("second", 2);
                            s.persist(a);
                            return new long[] {a.id, one.id, two.id};
                        }));
                    }
                    return ids;
                }));
            }
            Set<Long> authorIds = new HashSet<>();
            Set<Long> bookIds = new HashSet<>();
            for (int n = 0; n < NODES; n++) {
                for (long[] ids : saved.get(n).get()) {
                    assertThat(authorIds.add(ids[0])).as("author id %d used twice", ids[0]).isTrue();
                    assertThat(LoopbackCluster.slotOf(ids[0])).as("IDENTITY id in node %d's slot", n).isEqualTo(n + 1);
                    assertThat(bookIds.add(ids[1]) && bookIds.add(ids[2])).as("book ids %d, %d", ids[1], ids[2]).isTrue();
                }
            }
            cluster.awaitAllReplicated();
            for (SessionFactory sf : nodes) {
                List<Long> authors = sf.fromSession(s -> s.createQuery(
                        "select a.id from Author a where a.name like 'writer %'", Long.class).getResultList());
                assertThat(authors).containsExactlyInAnyOrderElementsOf(authorIds);
                List<Long> books = sf.fromSession(s -> s.createQuery(
                        "select b.id from Book b where b.author.name like 'writer %'", Long.class).getResultList());
                assertThat(books).containsExactlyInAnyOrderElementsOf(bookIds);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two nodes edit different fields of one author at the same time, each passing its local {@code @Version} check:
     * column-level last-writer-wins keeps both edits everywhere.
     */
    @Test
    void concurrentEditsOfDifferentFieldsOnTwoNodesBothSurvive() throws Exception {
        Long id = nodes.get(0).fromTransaction(s -> {
            Author a = new Author("Octavia");
            a.email = "old@example.com";
            s.persist(a);
            return a.id;
        });
        cluster.awaitReplicatedFrom(0);

        // Both load the author (version 0) before either commits: their edits are concurrent. While a transaction is
        // open the other node's change waits for it (the transaction gate), so each flush passes its version check.
        CyclicBarrier bothLoaded = new CyclicBarrier(2);
        ExecutorService editors = Executors.newFixedThreadPool(2);
        GateTuning.applyWait(LoopbackCluster.PATIENCE);
        try {
            Future<?> rename = editors.submit(() -> nodes.get(1).inTransaction(s -> {
                Author a = s.find(Author.class, id);
                arrive(bothLoaded);
                a.name = "Octavia E. Butler";
            }));
            Future<?> newEmail = editors.submit(() -> nodes.get(2).inTransaction(s -> {
                Author a = s.find(Author.class, id);
                arrive(bothLoaded);
                a.email = "octavia@example.com";
            }));
            rename.get();
            newEmail.get();
        } finally {
            GateTuning.defaultApplyWait();
            editors.shutdownNow();
        }
        cluster.awaitAllReplicated();

        for (SessionFactory sf : nodes) {
            Author a = sf.fromSession(s -> s.find(Author.class, id));
            assertThat(a.name).isEqualTo("Octavia E. Butler");
            assertThat(a.email).isEqualTo("octavia@example.com");
            assertThat(a.version).isEqualTo(1);
        }
    }

    private static void arrive(CyclicBarrier barrier) {
        try {
            barrier.await(LoopbackCluster.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other editor did not load the author", e);
        }
    }

    /** On one node {@code @Version} works as on SQLite: the driver reports the rows an UPDATE really changed. */
    @Test
    void optimisticLockingRefusesAStaleUpdateOnTheSameNode() throws Exception {
        SessionFactory sf = nodes.get(1);
        Long id = sf.fromTransaction(s -> {
            Author a = new Author("Stale");
            s.persist(a);
            return a.id;
        });
        Author stale = sf.fromSession(s -> s.find(Author.class, id));
        sf.inTransaction(s -> s.find(Author.class, id).email = "first@example.com");
        stale.email = "second@example.com";
        assertThatThrownBy(() -> sf.inTransaction(s -> s.merge(stale)))
                .isInstanceOf(OptimisticLockException.class);
        cluster.awaitReplicatedFrom(1);
        Author onA = nodes.get(0).fromSession(s -> s.find(Author.class, id));
        assertThat(onA.email).isEqualTo("first@example.com");
        assertThat(onA.version).isEqualTo(1);
    }

    /**
     * The next release adds a column: {@code hbm2ddl=update} runs on every node (each node migrates itself) and the
     * new column replicates; rows written before the migration are still there.
     */
    @Test
    void hbm2ddlUpdateOnEveryNodeAddsAColumnThatReplicates() throws Exception {
        Long id = nodes.get(0).fromTransaction(s -> {
            Author a = new Author("Before the migration");
            s.persist(a);
            return a.id;
        });
        cluster.awaitReplicatedFrom(0);
        List<SessionFactory> upgraded = new ArrayList<>();
        try {
            for (int i = 0; i < NODES; i++) {
                upgraded.add(sessionFactory(cluster.url(i), "update", AuthorWithBio.class));
            }
            upgraded.get(2).inTransaction(s -> s.find(AuthorWithBio.class, id).bio = "written on node 2");
            cluster.awaitReplicatedFrom(2);
            await().atMost(LoopbackCluster.PATIENCE).untilAsserted(() -> {
                AuthorWithBio onA = upgraded.get(0).fromSession(s -> s.find(AuthorWithBio.class, id));
                assertThat(onA.bio).isEqualTo("written on node 2");
                assertThat(onA.name).isEqualTo("Before the migration");
            });
        } finally {
            upgraded.forEach(SessionFactory::close);
        }
    }
}
