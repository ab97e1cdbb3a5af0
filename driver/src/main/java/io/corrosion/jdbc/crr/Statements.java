package io.corrosion.jdbc.crr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Where the engine's own statements on one connection come from: a session's, prepared once for the connection's life
 * ({@link CrrSession#prepared}), or prepared for one piece of work and closed after it ({@link OneUse}). Preparing
 * costs more than running most of them (the version log's insert: ~30 µs against ~40 µs for 64 rows), and the journal
 * runs the same few every 256 transactions.
 */
@FunctionalInterface
interface Statements {
    /** The statement for {@code sql}, reset and ready to bind; its owner closes it. */
    PreparedStatement prepare(String sql) throws SQLException;

    /**
     * Statements prepared on a connection as first asked for and kept until closed: for one piece of work (recovery,
     * the last flush) or a thread's or session's life; closing closes them.
     */
    final class OneUse implements Statements, AutoCloseable {
        private final SQLiteConnection c;
        private final Map<String, PreparedStatement> open = new HashMap<>();

        OneUse(SQLiteConnection c) {
            this.c = c;
        }

        @Override
        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement p = open.get(sql);
            if (p == null) {
                p = c.prepareStatement(sql);
                open.put(sql, p);
            }
            return p;
        }

        /** Closes and forgets the statement for {@code sql}, if there is one. */
        void forget(String sql) throws SQLException {
            PreparedStatement p = open.remove(sql);
            if (p != null) {
                p.close();
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException failed = null;
            for (PreparedStatement p : open.values()) {
                try {
                    p.close();
                } catch (SQLException e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            open.clear();
            if (failed != null) {
                throw failed;
            }
        }
    }
}
