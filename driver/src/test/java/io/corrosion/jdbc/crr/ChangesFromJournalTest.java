package io.corrosion.jdbc.crr;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.Change;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent reads each local commit's changes from its journal entry, by key ({@link ChangeReader#ofEntries}): for
 * every version, before and after the entries reach the version log, that gives exactly what {@code crsql_changes}
 * gives.
 */
class ChangesFromJournalTest {
    private static final String SCHEMA = "CREATE TABLE i(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b REAL);"
            + " CREATE TABLE u(id NOT NULL PRIMARY KEY, v);"
            + " CREATE TABLE c(x NOT NULL, y NOT NULL, v, w INTEGER, PRIMARY KEY (x, y));"
            + " CREATE TABLE k(id TEXT NOT NULL PRIMARY KEY);"
            + " SELECT crsql_as_crr('i'); SELECT crsql_as_crr('u'); SELECT crsql_as_crr('c'); SELECT crsql_as_crr('k');";

    @TempDir
    Path dir;

    @Test
    void everyLocalVersionReadsTheSameFromItsJournalEntryAsFromTheView() throws SQLException {
        try (Replica r = new Replica(dir, "a", SCHEMA); Replica peer = new Replica(dir, "b", SCHEMA)) {
            Random random = new Random(42);
            for (int tx = 0; tx < 300; tx++) {
                StringBuilder sql = new StringBuilder("BEGIN;");
                int ops = 1 + random.nextInt(4);
                for (int op = 0; op < ops; op++) {
                    sql.append(operation(random)).append(';');
                }
                r.exec(sql.append("COMMIT;").toString());
                peer.exec("BEGIN;" + operation(random) + ";" + operation(random) + "; COMMIT;");
                if (tx % 20 == 19) {
                    peer.sendTo(r); // fields of the peer's versions, whose numbers our own versions also have
                }
                if (tx == 150) {
                    r.exec("ALTER TABLE i ADD COLUMN z TEXT DEFAULT 'zz'");
                    peer.exec("ALTER TABLE i ADD COLUMN z TEXT DEFAULT 'zz'");
                }
            }
            // A row written again later in its transaction: its fields' seqs are not in the order the entry names rows.
            r.exec("BEGIN; INSERT OR REPLACE INTO i (id, a, b) VALUES (2001, 'first', 1); INSERT OR REPLACE INTO i (id, a, b)"
                    + " VALUES (2002, 'second', 2); UPDATE i SET a = 'again' WHERE id = 2001; COMMIT;");
            r.exec("BEGIN; INSERT INTO i (id, a, b) VALUES (1000, 'one', 1.5);"
                    + " INSERT INTO i (a, b) SELECT 'many', value FROM json_each('[1,2,3,4,5,6,7,8,9]'); COMMIT;");
            // A field of our version v that the peer's own version v (same number, another site) overwrote.
            for (int pad = 0; r.crr.dbVersion() < peer.crr.dbVersion(); pad++) {
                r.exec("INSERT INTO k (id) VALUES ('pad" + pad + "')");
            }
            long v = r.crr.dbVersion() + 1;
            r.exec("INSERT INTO i (id, a, b) VALUES (3001, 'ours', 1)");
            for (int pad = 0; peer.crr.dbVersion() < v - 1; pad++) {
                peer.exec("INSERT INTO k (id) VALUES ('peer pad" + pad + "')");
            }
            peer.exec("BEGIN; INSERT INTO i (id, a, b) VALUES (3001, 'theirs', 1); UPDATE i SET a = 'theirs again'"
                    + " WHERE id = 3001; COMMIT;");
            assertThat(peer.crr.dbVersion()).isEqualTo(v);
            peer.sendTo(r);
            assertThat(r.scalar("SELECT a FROM i WHERE id = 3001")).isEqualTo("theirs again");
            long latest = r.crr.dbVersion();
            assertThat(latest).isGreaterThan(200);

            assertSameAsView(r, latest);
            r.crr.flushJournal(); // now the log has them too; the journal still holds them for a while
            assertSameAsView(r, latest);
        }
    }

    private static void assertSameAsView(Replica r, long latest) throws SQLException {
        byte[] site = r.crr.siteId();
        assertThat(r.crr.journal().entriesCovering(1, latest)).as("the journal holds every version").isNotNull();
        int nonEmpty = 0;
        for (long v = 1; v <= latest; v++) {
            List<Change> fromJournal = r.crr.changes(site, v, v);
            assertThat(fromJournal).as("version %d", v).isEqualTo(r.crr.changesFromView(site, v, v));
            nonEmpty += fromJournal.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("versions whose changes are not all overwritten").isGreaterThan(50);
        assertThat(r.crr.changes(site, 1, latest)).isEqualTo(r.crr.changesFromView(site, 1, latest));
        assertThat(r.crr.changes(site, 7, latest / 2)).isEqualTo(r.crr.changesFromView(site, 7, latest / 2));
    }

    /** One random write to one of the tables: inserts, upserts, updates (of keys too), deletes, re-inserts. */
    private static String operation(Random random) {
        int key = 1 + random.nextInt(25);
        return switch (random.nextInt(12)) {
            case 0 -> "INSERT OR REPLACE INTO i (id, a, b) VALUES (" + key + ", " + value(random) + ", " + value(random) + ")";
            case 1 -> "UPDATE i SET a = " + value(random) + " WHERE id = " + key;
            case 2 -> "DELETE FROM i WHERE id = " + key;
            case 3 -> "UPDATE OR IGNORE i SET id = " + (key + 30) + " WHERE id = " + key;
            case 4 -> "INSERT INTO u (id, v) VALUES (" + untypedKey(random) + ", " + value(random)
                    + ") ON CONFLICT (id) DO UPDATE SET v = excluded.v";
            case 5 -> "DELETE FROM u WHERE id = " + untypedKey(random);
            case 6 -> "INSERT OR REPLACE INTO c (x, y, v, w) VALUES (" + key % 5 + ", 'y" + key % 3 + "', " + value(random)
                    + ", " + random.nextInt(100) + ")";
            case 7 -> "UPDATE c SET w = w + 1 WHERE x = " + key % 5;
            case 8 -> "DELETE FROM c WHERE x = " + key % 5 + " AND y = 'y" + key % 3 + "'";
            case 9 -> "INSERT OR IGNORE INTO k (id) VALUES ('k" + key + "')";
            case 10 -> "DELETE FROM k WHERE id = 'k" + key + "'";
            default -> "UPDATE i SET b = " + value(random) + ", a = 'both' WHERE id = " + key;
        };
    }

    private static String untypedKey(Random random) {
        int k = random.nextInt(8);
        return switch (random.nextInt(4)) {
            case 0 -> Integer.toString(k);
            case 1 -> "'t" + k + "'";
            case 2 -> k + ".5";
            default -> "x'0" + k + "'";
        };
    }

    private static String value(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "NULL";
            case 1 -> Integer.toString(random.nextInt(1000));
            case 2 -> "'text " + random.nextInt(100) + "'";
            case 3 -> random.nextInt(100) + ".25";
            default -> "x'" + Integer.toHexString(0x1000 + random.nextInt(0xe000)) + "'";
        };
    }
}
