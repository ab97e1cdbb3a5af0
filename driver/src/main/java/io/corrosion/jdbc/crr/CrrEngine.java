package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/** Entry point of the CRR engine. */
public final class CrrEngine {
    private CrrEngine() {}

    /**
     * Prepares a raw sqlite-jdbc connection for CRRs: creates the per-file metadata (site id, ...) if the file
     * has none, registers the engine's SQL functions and transaction hooks on this connection, and repairs CRRs
     * whose tables changed without the engine. Every connection that writes to a CRR must be attached: the
     * capture triggers call functions that exist only on attached connections.
     */
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

    public static CrrSession attach(SQLiteConnection conn) throws SQLException {
        CrrSession session = new CrrSession(conn);
        session.open();
        return session;
    }
}
