package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.crr.PackedColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local commit's event names only the rows the transaction wrote: not those a failed statement or a {@code ROLLBACK
 * TO} undid (SQLite undoes their writes, the driver forgets them), and a transaction whose writes were all undone is
 * not heard. Before, the event (and the version log) named every row any statement of the transaction had written.
 */
class LocalEventRowsTest {
    @TempDir
    Path dir;

    private final List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("a.db"));
        exec("CREATE TABLE item (id INTEGER PRIMARY KEY NOT NULL, name TEXT UNIQUE)");
        exec("INSERT INTO item VALUES (1, 'one')");
        c.unwrap(CorrosionConnection.class).addChangeListener(heard::add);
    }

    @AfterEach
    void shutdown() throws SQLException {
        c.close();
        CorrosionDriver.shutdownAll();
    }

    @Test
    void aFailedStatementsRowsAreNotNamed() throws Exception {
        c.setAutoCommit(false);
        exec("INSERT INTO item VALUES (10, 'ten')");
        assertThatThrownBy(() -> exec("INSERT INTO item VALUES (11, 'eleven'), (12, 'one')"))
                .isInstanceOf(SQLException.class); // 11 written, then undone with the statement
        exec("UPDATE item SET name = 'uno' WHERE id = 1");
        assertThatThrownBy(() -> exec("UPDATE item SET name = 'ten' WHERE id = 1")).isInstanceOf(SQLException.class);
        c.commit();
        c.setAutoCommit(true);
        assertThat(heardNext()).containsExactly("10", "1");
    }

    @Test
    void aRollbackToASavepointTakesBackTheRowsWrittenAfterIt() throws Exception {
        c.setAutoCommit(false);
        exec("INSERT INTO item VALUES (20, 'twenty')");
        exec("SAVEPOINT s");
        exec("INSERT INTO item VALUES (21, 'x')");
        exec("UPDATE item SET name = 'uno' WHERE id = 1");
        exec("ROLLBACK TO s");
        exec("INSERT INTO item VALUES (22, 'y')");
        Savepoint jdbc = c.setSavepoint();
        exec("DELETE FROM item WHERE id = 20");
        c.rollback(jdbc);
        c.commit();
        c.setAutoCommit(true);
        assertThat(heardNext()).containsExactly("20", "22");
    }

    @Test
    void aTransactionWhoseWritesWereAllUndoneIsNotHeard() throws Exception {
        c.setAutoCommit(false);
        exec("SAVEPOINT s");
        exec("INSERT INTO item VALUES (30, 'thirty')");
        exec("ROLLBACK TO s");
        assertThatThrownBy(() -> exec("INSERT INTO item VALUES (31, 'x'), (32, 'one')")).isInstanceOf(SQLException.class);
        c.commit();
        exec("INSERT INTO item VALUES (33, 'marker')"); // auto-commit is still off
        c.commit();
        c.setAutoCommit(true);
        assertThat(heardNext()).containsExactly("33");
    }

    /** The rows of the first event heard, waiting for it. */
    private List<String> heardNext() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
        return keys(heard.get(0));
    }

    private static List<String> keys(ChangeEvent e) {
        return e.rows().getOrDefault("item", List.of()).stream()
                .map(pk -> String.valueOf(PackedColumns.unpack(pk).get(0))).toList();
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
