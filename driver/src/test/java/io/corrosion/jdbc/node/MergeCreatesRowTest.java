package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A merge that creates a row must not depend on column defaults the table refuses: a STRICT column whose default is of
 * another type, a CHECK the default breaks (on the column or on a column generated from it), an expression default, a
 * NOT NULL column without one. Rows only a local write produced (a key change, a delete and insert again, then maybe an
 * update of a column) move to a second node version by version, which ends with the origin's rows and crsql_changes.
 * Found by a fuzz run: a key change on a STRICT table was refused for good ("cannot store REAL value in INTEGER column").
 */
class MergeCreatesRowTest extends HandDeliveredNodes {
    private static final String ROWS = "select * from t order by id";
    private static final String CHANGES = "select \"table\", hex(pk), cid, val, col_version, db_version, hex(site_id), cl,"
            + " seq from crsql_changes order by \"table\", pk, cid";

    static List<String> schemas() {
        return List.of(
                "create table t (id integer primary key, a integer not null default 2.5, b integer) strict",
                "create table t (id integer primary key, a integer not null default (1 / 2.0), b integer) strict",
                "create table t (id integer primary key, a integer not null, b integer)",
                "create table t (id integer primary key, a integer not null default 0 check (a > 0), b integer)",
                "create table t (id integer primary key, a integer default 0 check (a > 0), b integer)",
                "create table t (id integer primary key, a integer default 0, b integer,"
                        + " g integer generated always as (a * 2) stored check (g > 0))",
                "create table t (id integer primary key, a integer not null default 0, b integer,"
                        + " g integer generated always as (a * 2) virtual, check (g > 0))",
                "create table t (id integer primary key, a integer not null default 1, b integer,"
                        + " g integer generated always as (iif(a = 1, 0.5, a)) stored) strict",
                "create table t (id integer primary key, a integer default 1, b integer,"
                        + " g integer generated always as (iif(a = 1, 0.5, a)) virtual) strict");
    }

    private void sameOnBoth(String schema, String... writes) throws SQLException {
        try (Node a = node("a", 1); Node b = node("b", 2)) {
            a.exec(schema);
            b.exec(schema);
            a.exec("insert into t (id, a, b) values (1, 7, 8)");
            a.exec(writes);
            deliver(a, b);
            assertThat(delivery.refusals).as("versions b refused").isEmpty();
            assertThat(b.rows(ROWS)).as("rows").isEqualTo(a.rows(ROWS));
            assertThat(b.rows(CHANGES)).as("crsql_changes").isEqualTo(a.rows(CHANGES));
        }
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void aKeyChangeMerges(String schema) throws SQLException {
        sameOnBoth(schema, "update t set id = 2 where id = 1");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void aRowInsertedAgainMerges(String schema) throws SQLException {
        sameOnBoth(schema, "delete from t where id = 1", "insert into t (id, a, b) values (1, 9, null)");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void aRowInsertedAgainThenUpdatedMerges(String schema) throws SQLException {
        // The version that inserts the row again no longer carries a: a later one does.
        sameOnBoth(schema, "delete from t where id = 1", "insert into t (id, a, b) values (1, 9, 3)",
                "update t set a = 5 where id = 1");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void aRowInsertedAgainThenOverwrittenMerges(String schema) throws SQLException {
        // The version that inserts the row again carries its sentinel alone: the row is created from the key.
        sameOnBoth(schema, "delete from t where id = 1", "insert into t (id, a, b) values (1, 9, 3)",
                "update t set a = 5, b = 6 where id = 1");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void aKeyChangeThenUpdateMerges(String schema) throws SQLException {
        sameOnBoth(schema, "update t set id = 2 where id = 1", "update t set a = 4 where id = 2");
    }
}
