package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.node.NodeExtension;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * What opening and shutting down databases leaves behind in a long-lived JVM (an application server that redeploys):
 * threads, file descriptors, ports, MBeans, the shutdown hook, values in the application's thread locals; and a
 * connection opened while its database shuts down. Reads JDK internals (the JVM's shutdown hooks, a thread's
 * ThreadLocalMap) through {@code --add-opens java.base/java.lang}, which the build's test JVM has.
 */
class DatabaseLifecycleResourcesTest {
    @TempDir
    Path dir;

    @AfterEach
    void cleanup() {
        CorrosionDriver.shutdownAll();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static Set<String> corrosionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("corrosion-")).collect(Collectors.toCollection(TreeSet::new));
    }

    static long fds() throws java.io.IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Open file descriptors, but those of {@code file} and the files SQLite keeps beside it. */
    private static long fdsNotOf(Path file) {
        String prefix = file.toAbsolutePath().toString();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(fd -> {
                try {
                    return !Files.readSymbolicLink(fd).toString().startsWith(prefix);
                } catch (java.io.IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean await(Duration d, BooleanSupplier c) {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return c.getAsBoolean();
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String address(Connection c) throws SQLException {
        return c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
    }

    /** NodeExtension, with a pause after a connection's setup once armed (to place shutdown inside connect). */
    static final class Pausing implements DatabaseExtension {
        final DatabaseExtension d;
        final AtomicBoolean armed;
        final CountDownLatch entered;
        final CountDownLatch release;

        Pausing(DatabaseExtension d, AtomicBoolean armed, CountDownLatch entered, CountDownLatch release) {
            this.d = d;
            this.armed = armed;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public void setUpConnection(SQLiteConnection connection) throws SQLException {
            d.setUpConnection(connection);
            if (armed.getAndSet(false)) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override public void connectionClosed(SQLiteConnection c) { d.connectionClosed(c); }
        @Override public StatementHook statementHook() { return d.statementHook(); }
        @Override public CrrApi crrApi(SQLiteConnection c) { return d.crrApi(c); }
        @Override public AgentConnection openAgentConnection() throws SQLException { return d.openAgentConnection(); }
        @Override public void close() { d.close(); }
    }

    // ---- connect racing shutdown -------------------------------------------------------------------------

    @Test
    void aConnectionOpenedWhileItsDatabaseShutsDownBelongsToAnOpenOne() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DatabaseRegistry registry = new DatabaseRegistry(
                db -> new Pausing(NodeExtension.FACTORY.create(db), armed, entered, release));
        CorrosionDriver driver = new CorrosionDriver(registry);
        Path file = dir.resolve("race.db");
        String url = "jdbc:corrosion:" + file;
        try (Connection first = driver.connect(url, new Properties())) {
            exec(first, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            exec(first, "INSERT INTO t VALUES (1, 'one')");
        }
        String key = file.toFile().getCanonicalPath();
        CorrosionDatabase db = registry.find(key).orElseThrow();
        armed.set(true);
        CompletableFuture<Connection> racing = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.connect(url, new Properties());
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.shutdown(key)).isTrue(); // shutdown while the connection is being set up
        release.countDown();
        // The database that shut down does not hand out a connection: the driver opens the file again for it.
        try (Connection returned = racing.get(10, TimeUnit.SECONDS)) {
            assertThat(db.openConnectionCount()).isZero();
            CorrosionDatabase reopened = registry.find(key).orElseThrow();
            assertThat(reopened).isNotSameAs(db);
            assertThat(reopened.isClosed()).isFalse();
            exec(returned, "INSERT INTO t VALUES (2, 'through the returned connection')");
            assertThat(count(returned, "SELECT count(DISTINCT pk) FROM crsql_changes WHERE \"table\" = 't'"))
                    .as("its write is captured").isEqualTo(2);
        } finally {
            registry.shutdownAll();
        }
    }

    /** A statement kept past its database's shutdown fails as a closed connection does (pools evict on 08003). */
    @Test
    void aStatementUsedAfterItsDatabaseShutDownFailsWith08003() throws Exception {
        Path file = dir.resolve("stale.db");
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + file)) {
            exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            java.sql.PreparedStatement prepared = c.prepareStatement("INSERT INTO t (v) VALUES (?)");
            Statement plain = c.createStatement();
            assertThat(CorrosionDriver.shutdown(file.toString())).isTrue();
            for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert
                    .ThrowingCallable>of(() -> prepared.setString(1, "late"), prepared::executeUpdate,
                    () -> plain.executeQuery("SELECT 1"), () -> plain.executeUpdate("INSERT INTO t (v) VALUES ('late')"))) {
                assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, call).getSQLState())
                        .isEqualTo("08003");
            }
        }
    }

    // ---- open/close loops --------------------------------------------------------------------------------------

    @Test
    void anOpenCloseLoopOfAReplicatingFileReleasesThreadsFdsPortAndMBeans() throws Exception {
        Path file = dir.resolve("loop.db");
        int port = -1;
        long fdsAfterFirst = -1;
        Set<String> before = corrosionThreads();
        for (int i = 0; i < 5; i++) {
            String url = "jdbc:corrosion:" + file + "?bind=127.0.0.1:" + (port < 0 ? 0 : port) + "&tls.insecure=true";
            try (Connection c = DriverManager.getConnection(url)) {
                exec(c, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
                exec(c, "INSERT INTO t VALUES (" + i + ", 'x')");
                String a = address(c);
                port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
            }
            assertThat(CorrosionDriver.shutdown(file.toString())).isTrue();
            assertThat(await(Duration.ofSeconds(10), () -> corrosionThreads().equals(before)))
                    .as("threads after shutdown %d: %s", i, corrosionThreads()).isTrue();
            if (i == 0) {
                fdsAfterFirst = fds();
            }
        }
        long fdsNow = fds();
        Set<ObjectName> mbeans = ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.corrosion:*"), null);
        assertThat(fdsNow).isLessThanOrEqualTo(fdsAfterFirst + 2);
        assertThat(mbeans).isEmpty();
    }

    @Test
    void aFailedBindLeavesNothingRunning() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        try (Connection ca = DriverManager.getConnection("jdbc:corrosion:" + a + "?bind=127.0.0.1:0&tls.insecure=true")) {
            String addr = address(ca);
            int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
            Set<String> before = corrosionThreads();
            // node a's own files are left out: its threads open and close them as they work (the WAL, flushed before
            // a publish; the connection its checkpoints get when the first is due)
            long fdsBefore = fdsNotOf(a);
            SQLException e = null;
            try {
                DriverManager.getConnection("jdbc:corrosion:" + b + "?bind=127.0.0.1:" + port + "&tls.insecure=true").close();
            } catch (SQLException x) {
                e = x;
            }
            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(await(Duration.ofSeconds(10), () -> corrosionThreads().equals(before)))
                    .as("threads after failed open: %s vs %s", corrosionThreads(), before).isTrue();
            assertThat(await(Duration.ofSeconds(10), () -> fdsNotOf(a) <= fdsBefore))
                    .as("open files after failed open: %d vs %d", fdsNotOf(a), fdsBefore).isTrue();
        }
    }

    // ---- what stays registered with the JVM and the application's threads ------------------------------------

    @Test
    void theShutdownHookIsGoneOnceEveryDatabaseShutDown() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("hook.db"))) {
            exec(c, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)");
        }
        CorrosionDriver.shutdownAll();
        Field f = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<Thread, Thread> hooks = (Map<Thread, Thread>) f.get(null);
        List<Thread> ours = new ArrayList<>();
        synchronized (Class.forName("java.lang.ApplicationShutdownHooks")) {
            for (Thread t : hooks.keySet()) {
                if (t.getName().equals("corrosion-shutdown")) {
                    ours.add(t);
                }
            }
        }
        assertThat(ours).as("shutdown hook registered after every database shut down").isEmpty();
    }


    @Test
    void noDriverObjectStaysInAnApplicationThreadsThreadLocals() throws Exception {
        String url = "jdbc:corrosion:" + dir.resolve("tl.db");
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url)) {
                exec(c, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
                exec(c, "INSERT INTO t (v) VALUES ('x')");
            } catch (Throwable t) {
                failure.set(t);
            }
            done.countDown();
            try {
                finish.await(20, TimeUnit.SECONDS); // a pooled app-server thread lives on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "app-worker");
        worker.start();
        try {
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            CorrosionDriver.shutdownAll();
            assertThat(driverThreadLocalValues(worker)).isEmpty();
        } finally {
            finish.countDown();
            worker.join(10_000);
        }
    }

    private static List<String> driverThreadLocalValues(Thread t) throws Exception {
        Field tl = Thread.class.getDeclaredField("threadLocals");
        tl.setAccessible(true);
        Object map = tl.get(t);
        List<String> out = new ArrayList<>();
        if (map == null) {
            return out;
        }
        Field table = map.getClass().getDeclaredField("table");
        table.setAccessible(true);
        Object[] entries = (Object[]) table.get(map);
        for (Object e : entries) {
            if (e == null) {
                continue;
            }
            Field v = e.getClass().getDeclaredField("value");
            v.setAccessible(true);
            Object value = v.get(e);
            if (value != null && value.getClass().getName().startsWith("io.corrosion")) {
                out.add(value.getClass().getName() + " (key " + (((java.lang.ref.Reference<?>) e).get() == null
                        ? "collected" : "alive") + ")");
            }
        }
        return out;
    }
}
