package io.corrosion.jdbc.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code getObject(i, Integer.class)} answers as sqlite-jdbc's does, but for ints out of range (22003) and SQL NULL
 * (null, as JDBC has it; sqlite-jdbc refuses it): it refuses TEXT and BLOB values as sqlite-jdbc does ("Bad value for
 * type Integer"). The driver returned 0 for 'one' and for a blob, 2024 for '2024-01-02' — a text read as a number.
 */
class GetObjectAsIntegerTest {
    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** For each column of the row: its value as Integer, or "refused". */
    private static String integers(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, txt TEXT, date TEXT, b BLOB, absent INTEGER, r REAL)");
            s.executeUpdate("INSERT INTO t VALUES (7, 'one', '2024-01-02', x'0102', NULL, 1.5)");
            try (ResultSet rs = s.executeQuery("SELECT * FROM t")) {
                rs.next();
                StringBuilder out = new StringBuilder();
                for (int i = 1; i <= 6; i++) {
                    int column = i;
                    SQLException refused = catchThrowableOfType(SQLException.class,
                            () -> rs.getObject(column, Integer.class));
                    out.append(refused == null ? String.valueOf(rs.getObject(column, Integer.class)) : "refused")
                            .append(refused == null || refused.getSQLState() != null || url.startsWith("jdbc:sqlite:")
                                    ? "" : " without SQLState").append(' ');
                }
                SQLException byLabel = catchThrowableOfType(SQLException.class, () -> rs.getObject("txt", Integer.class));
                return out.append(byLabel == null ? "label read" : "label refused").toString();
            }
        }
    }

    @Test
    void textAndBlobAreRefusedAsSqliteJdbcRefusesThemAndNullIsNull() throws SQLException {
        assertThat(integers("jdbc:sqlite:" + dir.resolve("plain.db")))
                .isEqualTo("7 refused refused refused refused 1 label refused");
        assertThat(integers("jdbc:corrosion:" + dir.resolve("corrosion.db")))
                .isEqualTo("7 refused refused refused null 1 label refused");
    }

    @Test
    void aTextReadAsANumberIsRefusedAsAnInvalidCast() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("cast.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'one'")) {
            rs.next();
            for (Class<?> type : new Class<?>[] {Integer.class, Long.class, Double.class}) {
                SQLException refused = catchThrowableOfType(SQLException.class, () -> rs.getObject(1, type));
                assertThat(refused.getSQLState()).as(type.getSimpleName()).isEqualTo("22018");
            }
        }
    }

    @Test
    void shortAndByteAreReadAsIntegerIsWithinTheirOwnRange() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("narrow.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 7, NULL, 40000, 200, -129, 'one', x'01', 1.5")) {
            rs.next();
            StringBuilder shorts = new StringBuilder();
            StringBuilder bytes = new StringBuilder();
            for (int i = 1; i <= 8; i++) {
                int column = i;
                for (Class<?> type : new Class<?>[] {Short.class, Byte.class}) {
                    SQLException refused = catchThrowableOfType(SQLException.class, () -> rs.getObject(column, type));
                    Object value = refused == null ? rs.getObject(column, type) : refused.getSQLState();
                    if (value != null) {
                        assertThat(value).as(type + " " + i).isInstanceOfAny(type, String.class);
                    }
                    (type == Short.class ? shorts : bytes).append(value).append(' ');
                }
            }
            assertThat(shorts.toString()).isEqualTo("7 null 22003 200 -129 22018 22018 1 ");
            assertThat(bytes.toString()).isEqualTo("7 null 22003 22003 22003 22018 22018 1 ");
            assertThat(rs.getObject(1, Short.class)).isEqualTo((short) 7);
        }
    }

    @Test
    void sqlNullIsNullForEveryBoxedType() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:corrosion:" + dir.resolve("nulls.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NULL")) {
            rs.next();
            for (Class<?> type : new Class<?>[] {Integer.class, Long.class, Double.class, Float.class, Boolean.class}) {
                assertThat(rs.getObject(1, type)).as(type.getSimpleName()).isNull();
            }
        }
    }
}
