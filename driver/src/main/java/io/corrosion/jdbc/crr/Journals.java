package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.LockWait;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/** The {@link LocalJournal} of each database file this JVM has sessions on, counted by holder. */
final class Journals {
    private record Held(LocalJournal journal, int holders) {}

    private static final Map<String, Held> OPEN = new HashMap<>();
    /**
     * Journals whose last holder let go and that are still closing: a new journal of the file waits for that close, or
     * its open would read the file before the last flush and that flush would mark the file cleanly closed under it
     * (a crash then skipped its recovery).
     */
    private static final Map<String, LocalJournal> CLOSING = new HashMap<>();
    /** Acquirers waiting for such a close, by file. */
    private static final Map<String, Integer> WAITING = new HashMap<>();
    /** Tests only: runs on the closing thread when a file's last holder let go, before its journal closes. */
    static volatile java.util.function.Consumer<String> beforeClose = file -> { };

    private Journals() {}

    /** The journal of {@code conn}'s file (a new one for an in-memory database); release it with {@link #release}. */
    static LocalJournal acquire(SQLiteConnection conn) throws SQLException {
        String file = mainFile(conn);
        if (file == null) {
            return new LocalJournal(null, null);
        }
        synchronized (Journals.class) {
            awaitClose(file);
            Held held = OPEN.get(file);
            LocalJournal journal = held == null ? new LocalJournal(file, () -> open(file)) : held.journal();
            OPEN.put(file, new Held(journal, held == null ? 1 : held.holders() + 1));
            return journal;
        }
    }

    /** One more holder of a journal someone holds already. */
    static LocalJournal retain(LocalJournal journal) {
        if (journal.inMemory()) {
            return journal;
        }
        synchronized (Journals.class) {
            Held held = OPEN.get(journal.file());
            if (held != null && held.journal() == journal) {
                OPEN.put(journal.file(), new Held(journal, held.holders() + 1));
            }
        }
        return journal;
    }

    /** One holder less; the last one closes the journal (a final flush). */
    static void release(LocalJournal journal) {
        if (journal.inMemory()) {
            journal.close();
            return;
        }
        boolean last;
        synchronized (Journals.class) {
            Held held = OPEN.get(journal.file());
            if (held == null || held.journal() != journal) {
                return;
            }
            last = held.holders() == 1;
            if (last) {
                OPEN.remove(journal.file());
                CLOSING.put(journal.file(), journal);
            } else {
                OPEN.put(journal.file(), new Held(journal, held.holders() - 1));
            }
        }
        if (last) {
            try {
                beforeClose.accept(journal.file());
                journal.close();
            } finally {
                synchronized (Journals.class) {
                    CLOSING.remove(journal.file(), journal);
                    Journals.class.notifyAll();
                }
            }
        }
    }

    /** Waits, holding the monitor between waits, until no journal of {@code file} is closing. */
    private static void awaitClose(String file) throws SQLException {
        while (CLOSING.containsKey(file)) {
            WAITING.merge(file, 1, Integer::sum);
            try {
                Journals.class.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while the version log of " + file + " was written at shutdown",
                        "08001", e);
            } finally {
                WAITING.computeIfPresent(file, (f, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Whether a session of this JVM has the file of {@code conn} open (or is closing it). */
    static boolean held(SQLiteConnection conn) throws SQLException {
        String file = mainFile(conn);
        synchronized (Journals.class) {
            return file != null && (OPEN.containsKey(file) || CLOSING.containsKey(file));
        }
    }

    /** Tests only: how many acquirers wait for a journal of {@code file} to finish closing. */
    static synchronized int waitingForClose(String file) {
        return WAITING.getOrDefault(file, 0);
    }

    /** The canonical path of the connection's main database file; null for an in-memory (or temporary) one. */
    private static String mainFile(SQLiteConnection conn) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    String file = rs.getString("file");
                    if (file == null || file.isEmpty()) {
                        return null;
                    }
                    try {
                        return Path.of(file).toRealPath().toString();
                    } catch (java.io.IOException e) {
                        return Path.of(file).toAbsolutePath().normalize().toString();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The watcher's own connection: plain sqlite-jdbc, waiting for the write lock as the driver's connections do (with
     * {@link LockWait}: under steady writes SQLite's own sleeps of up to 100 ms kept missing the moments the lock was
     * free, and commits reached their listeners seconds late).
     */
    private static SQLiteConnection open(String file) throws SQLException {
        SQLiteConnection c = JDBC.createConnection("jdbc:sqlite:" + file, new Properties());
        LockWait.install(c, 5000);
        return c;
    }
}
