package io.corrosion.examples;

import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * README command 1: opens a {@code jdbc:corrosion:} database, creates a table, writes and reads it, and shows what the
 * driver knows about it. Replication and CRR metadata arrive with later issues; the demo says so rather than fake them.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("corrosion-demo");
        String url = "jdbc:corrosion:" + dir.resolve("demo.db");
        String[] statements = {
            "create table if not exists person (id integer primary key, name text not null, city text)",
            "insert into person (name, city) values (?, ?)",
            "select id, name, city from person order by id",
        };
        try (Connection c = DriverManager.getConnection(url)) {
            CorrosionConnection corrosion = c.unwrap(CorrosionConnection.class);
            DatabaseMetaData md = c.getMetaData();
            System.out.println("Opened " + url);
            System.out.println("  driver:   " + md.getDriverName() + " " + md.getDriverVersion());
            System.out.println("  database: " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion()
                    + ", file " + corrosion.databasePath().orElse(":memory:"));
            System.out.println("  journal:  " + pragma(c, "journal_mode") + ", synchronous=" + pragma(c, "synchronous")
                    + " (1 = NORMAL), busy_timeout=" + pragma(c, "busy_timeout") + " ms");
            System.out.println("  node:     " + (corrosion.config().node().bind().isPresent() ? "bind "
                    + corrosion.config().node().bind().get() : "local (no bind)"));

            try (Statement s = c.createStatement()) {
                s.executeUpdate(statements[0]);
            }
            try (PreparedStatement insert = c.prepareStatement(statements[1], Statement.RETURN_GENERATED_KEYS)) {
                for (String[] p : new String[][] {{"Ada", "London"}, {"Grace", "Arlington"}, {"Edsger", "Nuenen"}}) {
                    insert.setString(1, p[0]);
                    insert.setString(2, p[1]);
                    insert.executeUpdate();
                }
            }
            System.out.println();
            System.out.println("Rows in person:");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statements[2])) {
                while (rs.next()) {
                    System.out.printf("  %d  %-7s %s%n", rs.getLong(1), rs.getString(2), rs.getString(3));
                }
            }

            System.out.println();
            System.out.println("How the interceptor classified the statements (cached plans):");
            for (String sql : statements) {
                StatementPlan p = Interceptor.shared().plan(sql).first();
                System.out.printf("  %-12s table=%-8s columns=%-12s parsed=%-5s %s%n", p.kind(),
                        p.table().orElse("-"), p.insertColumns(), p.parsed() != null, abbreviate(sql));
            }

            System.out.println();
            List<String> internal = internalTables(c);
            System.out.println("CRR metadata in the file (" + InternalTables.clockTable("person") + ", crsql_* ...): "
                    + (internal.isEmpty()
                            ? "none yet -- tables become CRRs once the CRR engine (issue 4) is hooked in"
                            : String.join(", ", internal)));
            System.out.println("Replication: not yet -- the gossip agent arrives with the replication issue.");
        } finally {
            CorrosionDriver.shutdownAll();
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Read straight from sqlite_master: metadata hides internal tables, SQL does not. */
    private static List<String> internalTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select name from sqlite_master where type = 'table' order by name")) {
            while (rs.next()) {
                if (InternalTables.isInternal(rs.getString(1))) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 60 ? sql : sql.substring(0, 57) + "...";
    }
}
