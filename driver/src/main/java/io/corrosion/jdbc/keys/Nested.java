package io.corrosion.jdbc.keys;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * Running a statement from inside the application's running statement (an SQL function may run statements on its own
 * connection; their writes belong to the running statement and its transaction). sqlite-jdbc ends every statement it
 * runs in auto-commit mode with its own BEGIN and COMMIT, which inside another statement would open a transaction it
 * cannot commit; its auto-commit flag is lowered meanwhile (that changes nothing in SQLite, which commits the
 * outermost statement itself).
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
        config.setAutoCommit(false);
        try {
            return work.run();
        } finally {
            config.setAutoCommit(autoCommit);
        }
    }
}
