package io.corrosion.jdbc.keys;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * Where the node's 16-byte site id comes from: the identity that slot claims carry and that the slot conflict rule
 * compares. One method, so that the CRR engine's site id (cr-sqlite's {@code crsql_site_id()}) can replace the
 * key allocator's own by passing {@code engine::siteId} to {@link KeysExtension#factory(NodeIdentity)}. When the source
 * changes on an existing file, the node's claims move to the new site id ({@link SlotClaims}).
 */
@FunctionalInterface
public interface NodeIdentity {
    /** Length of a site id in bytes. */
    int SITE_ID_BYTES = 16;

    /**
     * The site id of the database file {@code connection} belongs to; created and persisted on first call. Called
     * once per file per JVM, in a write transaction on {@code connection}.
     */
    byte[] siteId(SQLiteConnection connection) throws SQLException;

    /**
     * The key allocator's own site id until the CRR engine provides one: 16 random bytes kept in the single row of
     * {@value KeysSchema#NODE_TABLE}.
     */
    NodeIdentity OWN = connection -> {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT own_site_id FROM " + KeysSchema.NODE_TABLE + " WHERE id = 1")) {
            if (rs.next() && rs.getBytes(1) != null) {
                return rs.getBytes(1);
            }
        }
        byte[] siteId = new byte[SITE_ID_BYTES];
        new SecureRandom().nextBytes(siteId);
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + KeysSchema.NODE_TABLE
                + " (id, own_site_id) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET own_site_id = excluded.own_site_id")) {
            ps.setBytes(1, siteId);
            ps.executeUpdate();
        }
        return siteId;
    };
}
