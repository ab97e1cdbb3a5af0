package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Every SQLException leaving the driver has a real SQLState, SQLite's code and the cause. */
class ErrorsTest {
    @TempDir
    Path dir;

    String url;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        url = "jdbc:corrosion:" + dir.resolve("e.db") + "?foreign_keys=true";
        c = DriverManager.getConnection(url);
        c.createStatement().executeUpdate("create table team (id integer primary key, name text not null unique,"
                + " size int check (size > 0)); create table member (id integer primary key, team_id int references team(id))");
        c.createStatement().executeUpdate("insert into team (id, name, size) values (1, 'a', 1)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
        CorrosionDriver.shutdownAll();
    }

    SQLException failing(String sql) {
        return catchThrowableOfType(SQLException.class, () -> c.createStatement().executeUpdate(sql));
    }

    @Test
    void syntaxErrorIs42000() {
        SQLException e = failing("selec * from team");
        assertThat(e.getSQLState()).isEqualTo("42000");
        assertThat(e.getErrorCode()).isEqualTo(1);
        assertThat(e.getMessage()).contains("syntax error");
        assertThat(e.getCause()).isInstanceOf(SQLiteException.class);
        assertThat(failing("select * from nowhere").getSQLState()).isEqualTo("42000");
    }

    @Test
    void constraintViolationsGetTheirSubclass() {
        assertThat(failing("insert into team (id, name, size) values (1, 'b', 1)").getSQLState()).isEqualTo("23505");
        assertThat(failing("insert into team (name, size) values ('a', 1)").getSQLState()).isEqualTo("23505");
        assertThat(failing("insert into team (name, size) values (null, 1)").getSQLState()).isEqualTo("23502");
        assertThat(failing("insert into team (name, size) values ('c', 0)").getSQLState()).isEqualTo("23514");
        assertThat(failing("insert into member (team_id) values (99)").getSQLState()).isEqualTo("23503");
        SQLException e = failing("insert into team (name, size) values (null, 1)");
        assertThat((Object) e).isInstanceOf(SQLiteException.class); // code catching sqlite-jdbc's type keeps working
        assertThat(((SQLiteException) e).getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL);
        assertThat(e.getErrorCode()).isEqualTo(19);
    }

    @Test
    void preparedStatementAndBatchErrorsAreMappedToo() throws SQLException {
        SQLException prepare = catchThrowableOfType(SQLException.class, () -> c.prepareStatement("insert into nope values (?)"));
        assertThat(prepare.getSQLState()).isEqualTo("42000");
        try (PreparedStatement ps = c.prepareStatement("insert into team (name, size) values (?, 1)")) {
            ps.setString(1, "x");
            ps.addBatch();
            ps.setString(1, "x");
            ps.addBatch();
            // sqlite-jdbc reports a failing prepared batch as the statement's own error, and so do we
            SQLException e = catchThrowableOfType(SQLException.class, ps::executeBatch);
            assertThat(e.getSQLState()).isEqualTo("23505");
        }
        try (Statement s = c.createStatement()) {
            s.addBatch("insert into team (name, size) values ('y', 1)");
            s.addBatch("insert into team (name, size) values ('y', 1)");
            SQLException e = catchThrowableOfType(SQLException.class, s::executeBatch);
            assertThat(e.getSQLState()).isNotNull().startsWith("23");
            if (e instanceof BatchUpdateException batch) {
                assertThat(batch.getUpdateCounts()).isNotNull();
            }
        }
    }

    /**
     * An error the driver raises inside SQLite (here its UNIQUE check's REPLACE, whose delete runs as a statement of
     * its own, deletes a parent row that an ON DELETE RESTRICT key holds) keeps its SQLState and reads as SQLite's own,
     * without sqlite-jdbc's wrapping ("SQL error or missing database (java.sql.SQLException: ...)") or the SQLState
     * the driver passed through SQLite in the text.
     */
    @Test
    void anErrorRaisedInsideSqliteByTheDriverReadsAsItsOwn() throws SQLException {
        c.createStatement().executeUpdate("create table badge (id integer primary key, team_id int references team(id)"
                + " on delete restrict); insert into badge (id, team_id) values (1, 1)");
        SQLException e = catchThrowableOfType(SQLException.class, () -> c.createStatement()
                .executeUpdate("replace into team (id, name, size) values (2, 'a', 1), (1, 'b', 1)"));
        assertThat(e.getSQLState()).isEqualTo("23503");
        assertThat(e.getMessage()).isEqualTo("[SQLITE_CONSTRAINT_TRIGGER] A RAISE function within a trigger fired, causing"
                + " the SQL statement to abort (FOREIGN KEY constraint failed)"); // SQLite's RESTRICT is a trigger
        assertThat(JdbcRows.column(c, "select id || ' ' || name from team order by id")).containsExactly("1 a");
    }

    @Test
    void busyWriterIs40001() throws SQLException {
        try (Connection other = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("e.db") + "?busy_timeout=0")) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("insert into team (name, size) values ('locked', 1)");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> other.createStatement().executeUpdate("insert into team (name, size) values ('waits', 1)"));
            assertThat(e.getSQLState()).isEqualTo("40001");
            assertThat(e.getErrorCode()).isEqualTo(5);
            c.rollback();
        }
    }

    @Test
    void closedConnectionIs08003() throws SQLException {
        Statement s = c.createStatement();
        c.close();
        for (var call : new org.assertj.core.api.ThrowableAssert.ThrowingCallable[] {
                c::createStatement, () -> c.prepareStatement("select 1"), c::commit, () -> c.setAutoCommit(false),
                () -> s.executeQuery("select 1"), c::getMetaData}) {
            SQLException e = catchThrowableOfType(SQLException.class, call);
            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("08003");
        }
    }

    @Test
    void resultSetErrorsHaveAnSqlState() throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select id from team")) {
            rs.next();
            SQLException e = catchThrowableOfType(SQLException.class, () -> rs.getString("no_such_column"));
            assertThat(e.getSQLState()).isNotNull();
            rs.close();
            SQLException closed = catchThrowableOfType(SQLException.class, () -> rs.getInt(1));
            assertThat(closed.getSQLState()).isNotNull();
        }
    }

    @Test
    void readOnlyWriteIs25006() throws SQLException {
        try (Connection ro = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("e.db") + "?open_mode=1")) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> ro.createStatement().executeUpdate("insert into team (name, size) values ('r', 1)"));
            assertThat(e.getSQLState()).isEqualTo("25006");
        }
    }

    /** What depends on whether a transaction is open says so: 25001 inside one, 25000 with none (not HY000). */
    @Test
    void transactionStateErrorsAre25xxx() throws SQLException {
        try (Statement s = c.createStatement()) {
            assertThat(catchThrowableOfType(SQLException.class, () -> s.execute("COMMIT")).getSQLState())
                    .as("COMMIT with no transaction").isEqualTo("25000");
            assertThat(catchThrowableOfType(SQLException.class, () -> s.execute("ROLLBACK")).getSQLState())
                    .as("ROLLBACK with no transaction").isEqualTo("25000");
            s.execute("BEGIN");
            assertThat(catchThrowableOfType(SQLException.class, () -> s.execute("BEGIN")).getSQLState())
                    .as("BEGIN inside one").isEqualTo("25001");
            assertThat(catchThrowableOfType(SQLException.class, () -> s.execute("VACUUM")).getSQLState())
                    .as("VACUUM inside one").isEqualTo("25001");
            s.execute("ROLLBACK");
        }
    }

    @Test
    void everyResultCodeHasAState() {
        for (SQLiteErrorCode code : SQLiteErrorCode.values()) {
            assertThat(SqlErrors.sqlState(code, "x")).as(code.name()).matches("[0-9A-Z]{5}");
        }
    }
}
