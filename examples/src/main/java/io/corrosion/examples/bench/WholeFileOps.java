package io.corrosion.examples.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** DriverBenchmark's operations on a whole file or table: a {@code BACKUP TO} and a table rebuild. */
final class WholeFileOps {
    private WholeFileOps() {}

    /**
     * sqlite-jdbc's {@code BACKUP TO}, over the same copy each time; through the driver the copy then loses the node's
     * identity (a new site id at its next open), which rewrites the copy's clock records of local changes.
     */
    static DriverBenchmark.Op backup(Connection c, Path copy) {
        return () -> {
            try (Statement s = c.createStatement()) {
                s.execute("backup to " + copy);
            }
        };
    }

    /**
     * The migration SQLite's ALTER TABLE cannot do (here: add a CHECK): create, copy, drop, rename, in one transaction,
     * of the filled table (10,000 rows). Through the driver the rebuilt table keeps the old one's clocks (the copy changed
     * nothing: no change to send), which costs holding the old rows and clocks until the rename.
     */
    static DriverBenchmark.Op rebuild(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table shelf (id integer primary key, name text not null, age int)");
            s.execute("insert into shelf select id, name, age from person");
        }
        return () -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("create table shelf_new (id integer primary key, name text not null, age int check (age >= 0))");
                s.execute("insert into shelf_new (id, name, age) select id, name, age from shelf");
                s.execute("drop table shelf");
                s.execute("alter table shelf_new rename to shelf");
            }
            c.commit();
            c.setAutoCommit(true);
        };
    }
}
