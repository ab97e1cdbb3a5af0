package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/** Entry point of the CRR engine. */
public final class CrrEngine {
    private CrrEngine() {}

    /**
     * The site id of the file {@code conn} belongs to, creating the engine's per-file metadata (and the site id) in the
     * caller's transaction if the file has none yet.
     */
    public static byte[] siteId(SQLiteConnection conn) throws SQLException {
        byte[] site = CrrMetadata.localSiteIdIfAny(conn);
        if (site != null) {
            return site;
        }
        CrrMetadata.bootstrap(conn);
        return CrrMetadata.localSiteId(conn);
    }

    /**
     * Prepares a raw sqlite-jdbc connection for CRRs: creates the per-file metadata (site id, ...) if the file
     * has none, registers the engine's SQL functions and transaction hooks on this connection, and repairs CRRs
     * whose tables changed without the engine. Every connection that writes to a CRR must be attached: the
     * capture triggers call functions that exist only on attached connections. Its {@code crsql_changes} (a TEMP view)
     * is made now and again after each change of the CRRs made through the session; after another connection changed
     * them, call {@link CrrSession#ensureChangesView} before reading it.
     */
    public static CrrSession attach(SQLiteConnection conn) throws SQLException {
        return attach(conn, false);
    }

    /**
     * {@link #attach(SQLiteConnection)}; with {@code changesViewOnDemand}, {@code crsql_changes} is made only when the
     * caller asks for it ({@link CrrSession#ensureChangesView}, as the driver does before SQL that names it) or the
     * session reads changes: a connection that never uses it does not pay for its parse.
     */
    public static CrrSession attach(SQLiteConnection conn, boolean changesViewOnDemand) throws SQLException {
        CrrSession session = new CrrSession(conn, changesViewOnDemand);
        session.open();
        return session;
    }
}
