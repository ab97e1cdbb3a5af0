package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionDriver;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SQLite checks a row's NOT NULL and CHECK constraints before its UNIQUE ones: a row that breaks both meets the NOT NULL
 * or CHECK resolution (an error, mostly), never the UNIQUE constraint's own clause or message. The driver's UNIQUE
 * checks run in BEFORE triggers, ahead of SQLite's own; they step aside for such a row.
 */
class UniqueCheckOrderTest extends PlainDifferentialTest {
    private static final String ROWS = "select * from u order by id";

    @Test
    void aNotNullFailsBeforeTheConstraintsClause() throws SQLException {
        same(List.of("create table u (id integer primary key, a text unique on conflict ignore, b text not null,"
                        + " c text unique on conflict replace, e text unique on conflict fail,"
                        + " f text not null on conflict replace default 'f')"),
                List.of("insert into u values (1, 'a', 'b', 'c', 'e', 'f')", "delete from u where 0"),
                ROWS,
                "insert into u values (2, 'a', null, 'c2', 'e2', 'f')",
                "insert into u values (3, 'a3', null, 'c', 'e3', 'f')",
                "insert into u values (4, 'a4', 'b', 'c4', 'e', null)",
                "insert or ignore into u values (6, 'a6', null, 'c', 'e6', 'f')",
                "insert or replace into u values (6, 'a6', null, 'c', 'e6', 'f')",
                "insert into u values (7, 'a7', 'b', 'c7', 'e7', 'f')",
                "update u set a = 'a', b = null where id = 7",
                "update u set c = 'c', b = null where id = 7",
                "update u set e = 'e', b = null where id = 7",
                "update u set e = 'e', f = null where id = 7",
                "update or fail u set a = 'a', b = null where id = 7");
    }

    /** A NOT NULL's own clause (FAIL, IGNORE) resolves the row, not the UNIQUE constraint's. */
    @Test
    void aNotNullsOwnClauseWinsOverTheConstraints() throws SQLException {
        same(List.of("create table u (id integer primary key, a text unique on conflict ignore, e text unique,"
                        + " d text not null on conflict fail default 'd', g text not null on conflict ignore default 'g')"),
                List.of("insert into u values (1, 'a', 'e', 'd', 'g')", "delete from u where 0"),
                ROWS,
                "insert into u values (2, 'a', 'e2', null, 'g'), (3, 'a3', 'e3', 'd', 'g')",
                "insert into u values (4, 'a4', 'e', 'd', null), (5, 'a5', 'e5', 'd', 'g')",
                "insert into u values (6, 'a6', 'e6', 'd', 'g')",
                "update u set a = 'a', d = null where id = 6",
                "update u set e = 'e', g = null where id = 6");
    }

    @Test
    void aCheckFailsBeforeTheConstraintsClause() throws SQLException {
        same(List.of("create table u (id integer primary key, a text unique on conflict ignore, n integer check (n > '2'),"
                        + " c text unique on conflict replace, e text unique, m text collate nocase,"
                        + " constraint m_upper check (m = 'M'))"),
                List.of("insert into u values (1, 'a', 5, 'c', 'e', 'm')", "delete from u where 0"),
                ROWS,
                "insert into u values (2, 'a', 1, 'c2', 'e2', 'm')",
                "insert into u values (3, 'a', 3, 'c3', 'e3', 'm')",
                "insert into u values (4, 'a4', 1, 'c', 'e4', 'm')",
                "insert into u values (5, 'a5', 5, 'c5', 'e', 'x')",
                "insert or ignore into u values (6, 'a6', 0, 'c', 'e6', 'm')",
                "insert or fail into u values (6, 'a6', 0, 'c6', 'e', 'm')",
                "insert into u values (7, 'a7', 7, 'c7', 'e7', 'M')",
                "update u set a = 'a', n = 0 where id = 7",
                "update u set c = 'c', m = 'y' where id = 7",
                "update u set a = 'a', m = 'm' where id = 7");
    }

    /**
     * SQLite checks an INTEGER PRIMARY KEY before the UNIQUE constraints, but after them if it resolves by REPLACE: a
     * row whose key is taken meets the key's error (or its own clause) first, whatever the statement's clause; a key
     * declared ON CONFLICT REPLACE waits for the constraints' clauses. The driver stepped aside for the key only where
     * the statement had no clause, and also for a REPLACE key: that replaced row 1 with a row the UNIQUE constraint's
     * IGNORE skips in SQLite, which then stood beside row 2 with the same value.
     */
    @Test
    void anIntegerKeyIsCheckedFirstUnlessItReplaces() throws SQLException {
        same(List.of("create table v (id integer primary key on conflict replace, a text unique on conflict ignore,"
                        + " b text unique)"),
                List.of("insert into v values (1, 'a1', 'b1'), (2, 'a2', 'b2')"),
                "select * from v order by id",
                "insert into v values (1, 'a2', 'x')",
                "insert into v values (1, 'q', 'b2')",
                "insert or fail into v values (2, 'a2', 'b1')");
        same(List.of("create table w (id integer primary key, a text unique on conflict ignore, b text unique on conflict fail)"),
                List.of("insert into w values (1, 'a1', 'b1'), (2, 'a2', 'b2')"),
                "select * from w order by id",
                "insert or fail into w values (1, 'a2', 'x')",
                "insert or rollback into w values (1, 'q', 'b2')",
                "update or fail w set id = 1, a = 'a1' where id = 2",
                "insert into w values (1, 'a2', 'b2')");
    }

    /**
     * SQLite checks a table's UNIQUE constraints and primary key last declared first (REPLACE ones last): a row whose
     * key, declared after the constraint, is taken meets the key's error or clause first; one declared before waits.
     */
    @Test
    void aKeyDeclaredAfterTheConstraintIsCheckedFirst() throws SQLException {
        same(List.of("create table w (a text unique on conflict ignore, id text primary key, b text unique on conflict fail)"),
                List.of("insert into w values ('a1', '1', 'b1'), ('a2', '2', 'b2')"),
                "select * from w order by id",
                "insert into w values ('a2', '1', 'x')",
                "insert into w values ('a3', '1', 'b2')",
                "insert or ignore into w values ('a2', '1', 'x')",
                "update w set a = 'a1', id = '1' where id = '2'",
                "update w set a = 'a1', id = '3' where id = '2'");
        same(List.of("create table k (a text, b text unique on conflict ignore, k1 text, k2 text, primary key (k1, k2),"
                        + " unique (a) on conflict replace)"),
                List.of("insert into k values ('a1', 'b1', 'x', 'y'), ('a2', 'b2', 'x', 'z')"),
                "select * from k order by k2",
                "insert into k values ('a3', 'b1', 'x', 'y')",
                "insert into k values ('a1', 'b3', 'x', 'z')",
                "insert into k values ('a4', 'b1', 'x', 'q')");
    }

    /**
     * The mirror: a key (not an INTEGER PRIMARY KEY) declared before a UNIQUE constraint is checked after it, so a row
     * whose key is taken and whose value collides with that same row meets the constraint's clause and message first
     * (IGNORE skips it, ROLLBACK ends the transaction); one declared REPLACE waits for the constraints that do not,
     * and a constraint declared REPLACE waits for the key. The driver's check passed over the row with the written key.
     */
    @Test
    void aKeyDeclaredBeforeTheConstraintIsCheckedAfterIt() throws SQLException {
        same(List.of("create table t (k text primary key, d integer default 3 unique on conflict ignore)"),
                List.of("insert into t(k) values ('a')"),
                "select * from t order by k",
                "insert into t(k) values ('a')",
                "insert or fail into t(k) values ('a')",
                "insert into t values ('a', 4)");
        same(List.of("create table w (k1 text, k2 text, e integer unique on conflict ignore, d integer,"
                        + " primary key (k1, k2), unique (d) on conflict fail) without rowid"),
                List.of("insert into w values ('a', 'b', 1, 1), ('a', 'c', 2, 2)"),
                "select * from w order by k2",
                "insert into w values ('a', 'b', 1, 1)",
                "insert into w values ('a', 'b', 9, 1)",
                "insert or abort into w values ('a', 'b', 9, 1)",
                "insert into w values ('a', 'b', 1, 9)",
                "insert into w values ('a', 'z', 1, 9)",
                "update w set k2 = 'b', e = 1 where k2 = 'c'",
                "update w set k2 = 'b', d = 1 where k2 = 'c'");
        same(List.of("create table r (k text primary key, d integer unique on conflict rollback) without rowid"),
                List.of("insert into r values ('a', 1)", "delete from r where 0"),
                "select * from r order by k",
                "begin", "insert into r values ('z', 9)", "insert into r values ('a', 1)", "commit");
    }

    /** REPLACE ones last: a key declared REPLACE waits for a constraint that is not, a constraint declared REPLACE for the key. */
    @Test
    void replaceWaitsWhateverTheDeclarationOrder() throws SQLException {
        same(List.of("create table t (k text primary key on conflict replace, d integer unique on conflict ignore, e int)"),
                List.of("insert into t values ('a', 1, 0), ('b', 2, 0)"),
                "select * from t order by k",
                "insert into t values ('a', 1, 5)",
                "insert into t values ('a', 2, 5)",
                "insert into t values ('a', 3, 5)");
        same(List.of("create table u (k text primary key, d integer unique on conflict replace, e int)"),
                List.of("insert into u values ('a', 1, 0), ('b', 2, 0)"),
                "select * from u order by k",
                "insert into u values ('a', 1, 5)",
                "insert into u values ('a', 2, 5)",
                "insert or fail into u values ('a', 1, 5)",
                "update u set k = 'a', d = 1 where k = 'b'");
    }

    /**
     * Among several constraints the last declared comes first, whatever the statement's clause; a key declared REPLACE
     * after a constraint waits for it; a UNIQUE index made after the table comes before its key.
     */
    @Test
    void severalConstraintsLastDeclaredFirst() throws SQLException {
        same(List.of("create table m (k text primary key, a int unique on conflict ignore, b int unique on conflict fail)"),
                List.of("insert into m values ('a', 1, 1), ('b', 2, 2)"),
                "select * from m order by k",
                "insert into m values ('a', 1, 1)",
                "insert into m values ('a', 1, 2)",
                "insert or ignore into m values ('a', 2, 1)",
                "insert or abort into m values ('a', 1, 3)",
                "update or fail m set k = 'a', a = 1 where k = 'b'");
        same(List.of("create table n (d int unique on conflict ignore, k text primary key on conflict replace, e int)"),
                List.of("insert into n values (1, 'a', 0), (2, 'b', 0)"),
                "select * from n order by k",
                "insert into n values (1, 'a', 5)",
                "insert or fail into n values (1, 'a', 5)",
                "insert into n values (2, 'a', 5)",
                "insert into n values (3, 'a', 5)");
        same(List.of("create table x (d int, k text primary key on conflict fail)", "create unique index xd on x (d)"),
                List.of("insert into x values (1, 'a')"),
                "select * from x order by k",
                "insert into x values (1, 'a')",
                "insert into x values (2, 'a')");
    }

    /** A file whose checks an earlier version made (metadata format 11) gets them made again when the driver opens it. */
    @Test
    void theChecksOfAnEarlierFormatAreMadeAgain() throws SQLException {
        try (Node a = new Node(dir, "old")) {
            a.exec("create table u (id integer primary key, a text unique on conflict ignore, b text not null)",
                    "insert into u values (1, 'a', 'b')");
        }
        CorrosionDriver.shutdownAll();
        Node.asEarlierFormat(dir.resolve("old.db"), "%u_a_unique__corrosion_uq_ins%(NEW.\"b\" IS NULL) OR %", 1, 11,
                sql -> sql.replace("(NEW.\"b\" IS NULL) OR ", ""));
        try (Node a = new Node(dir, "old")) {
            assertThat(Node.outcome(a.c, "insert into u values (2, 'a', null)"))
                    .isEqualTo("failed: A NOT NULL constraint failed (NOT NULL constraint failed: u.b)");
        }
    }
}
