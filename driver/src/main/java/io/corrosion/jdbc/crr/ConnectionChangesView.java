package io.corrosion.jdbc.crr;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One connection's {@code crsql_changes} ({@link ChangesView}): a TEMP view, made on first use, not a main-schema
 * object that every connection would parse on its first statement whether it reads changes or not (with 30 tables a
 * third of the cost of opening a connection). It is made again when the CRRs its connection's catalog holds are not the
 * ones it was made of: any connection's schema change shows in the catalog (it follows {@code PRAGMA schema_version}).
 * A rollback (or {@code ROLLBACK TO}) of the transaction that made it takes it away: it is looked up every time.
 * Callers run {@link #ensure} in the read snapshot the statement that uses the view runs in, or right before it.
 */
final class ConnectionChangesView {
    private static final String EXISTS = "SELECT count(*) FROM temp.sqlite_master WHERE name IN ('" + ChangesView.NAME
            + "', '" + ChangesView.INSERT_TRIGGER + "')";

    private final CrrSession session;
    /**
     * Whether the view is made again right after the session's own changes of the CRRs: for raw connections, whose
     * SQL reaches no hook that would {@link #ensure} it.
     */
    private final boolean kept;
    /** The CRRs the view was made of; null when this connection has none. */
    private List<TableInfo> madeOf;

    ConnectionChangesView(CrrSession session, boolean kept) {
        this.session = session;
        this.kept = kept;
    }

    /** After the session changed the CRRs: a kept view is made again of them now, any other when next used. */
    void crrsChanged() throws SQLException {
        if (kept) {
            ensure();
        }
    }

    /** Makes the view of the CRRs as the catalog has them now, unless it is that view already. */
    void ensure() throws SQLException {
        List<TableInfo> tables = List.copyOf(session.catalog().tables());
        if (tables.equals(madeOf) && exists()) {
            return;
        }
        madeOf = null;
        inTemp(ChangesView.drop(), ChangesView.create(tables), ChangesView.insertTrigger());
        madeOf = tables;
    }

    /** Drops the view, e.g. before an ALTER TABLE (SQLite refuses to drop or rename a column a view names). */
    void drop() throws SQLException {
        madeOf = null;
        inTemp(ChangesView.drop());
    }

    /**
     * Runs DDL of the TEMP schema, also on a connection with {@code PRAGMA query_only} on (it refuses writes to TEMP
     * too): the view is the connection's own, not a write to the file.
     */
    private void inTemp(String... ddl) throws SQLException {
        try (Statement s = session.connection().createStatement()) {
            boolean queryOnly;
            try (ResultSet rs = s.executeQuery("PRAGMA query_only")) {
                queryOnly = rs.next() && rs.getBoolean(1);
            }
            if (queryOnly) {
                s.execute("PRAGMA query_only = 0");
            }
            try {
                for (String sql : ddl) {
                    s.execute(sql);
                }
            } finally {
                if (queryOnly) {
                    s.execute("PRAGMA query_only = 1");
                }
            }
        }
    }

    private boolean exists() throws SQLException {
        try (ResultSet rs = session.prepared(EXISTS).executeQuery()) {
            return rs.next() && rs.getInt(1) == 2;
        }
    }
}
