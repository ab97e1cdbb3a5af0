package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * Running a statement from inside the application's running statement (an SQL function may run statements on its own
 * connection; their writes belong to the running statement and its transaction). sqlite-jdbc ends every statement it
 * runs in auto-commit mode with its own BEGIN and COMMIT, which inside another statement would open a transaction it
 * cannot commit; its auto-commit flag is lowered meanwhile (that changes nothing in SQLite, which commits the
 * outermost statement itself). Its generated keys are off meanwhile too: after an INSERT sqlite-jdbc runs
 * {@code SELECT last_insert_rowid()} and keeps that query open until the statement runs again, and an open query on
 * the connection makes the application's {@code VACUUM} fail ("SQL statements in progress").
 */
final class Nested {
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private Nested() {}

    static <T> T run(SQLiteConnection connection, Work<T> work) throws SQLException {
        var config = connection.getConnectionConfig();
        boolean autoCommit = config.isAutoCommit();
        boolean generatedKeys = config.isGetGeneratedKeys();
        config.setAutoCommit(false);
        config.setGetGeneratedKeys(false);
        try {
            return work.run();
        } finally {
            config.setGetGeneratedKeys(generatedKeys);
            config.setAutoCommit(autoCommit);
        }
    }
}
