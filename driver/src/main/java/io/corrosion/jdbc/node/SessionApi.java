package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CommitListener;
import io.corrosion.jdbc.CrrApi;
import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.crr.CrrSession;
import io.corrosion.jdbc.crr.SessionCrrApi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConnection;

/** {@link CrrApi} on one connection: the connection's CRR session, and the node's commit listeners and merge rules. */
final class SessionApi extends SessionCrrApi {
    private final SQLiteConnection connection;
    private final NodeExtension node;

    SessionApi(CrrSession session, SQLiteConnection connection, NodeExtension node) {
        super(session);
        this.connection = connection;
        this.node = node;
    }

    /**
     * Merges as the replication agent does: without foreign-key checks and actions (a cascade a merge ran would not be
     * captured, and the nodes would differ for good) and without CHECK constraints. Outside a transaction they are off
     * for the merge's own; in one they cannot change, so a connection with {@code foreign_keys} on is refused there.
     */
    @Override
    public long applyChanges(List<Change> changes) throws SQLException {
        boolean foreignKeys = pragma("foreign_keys");
        boolean checks = !pragma("ignore_check_constraints");
        if (foreignKeys) {
            if (connection.getAutoCommit()) {
                setPragma("foreign_keys", false);
            }
            if (pragma("foreign_keys")) { // SQLite keeps it as it is inside a transaction
                throw new SQLException("applyChanges in a transaction on a connection with foreign_keys on: a merge must"
                        + " not run foreign-key checks or actions (ON DELETE CASCADE would delete rows without a change"
                        + " for other nodes). Merge outside a transaction, or with foreign_keys off",
                        SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
        try {
            if (checks) {
                setPragma("ignore_check_constraints", true);
            }
            return node.merge(connection, session, changes);
        } finally {
            if (checks) {
                setPragma("ignore_check_constraints", false);
            }
            if (foreignKeys) {
                setPragma("foreign_keys", true);
            }
        }
    }

    private boolean pragma(String name) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    private void setPragma(String name, boolean on) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA " + name + " = " + (on ? "ON" : "OFF"));
        }
    }

    @Override
    public List<String> replicatedTables() throws SQLException {
        return session.crrTables().stream().filter(t -> !InternalTables.isInternal(t)).toList();
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        return node.addCommitListener(listener);
    }
}
