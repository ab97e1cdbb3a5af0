package io.corrosion.jdbc.crr;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Site ids and the small ordinals the clock records store instead ({@code crsql_site_id}: ordinal 0 is this site),
 * cached per connection. An ordinal allocated in a transaction that rolls back is gone: {@link #forget} then.
 */
final class SiteOrdinals {
    private final SQLiteConnection conn;
    private final Map<ByteBuffer, Long> ordinals = new HashMap<>();
    private final Map<Long, byte[]> siteIds = new HashMap<>();

    SiteOrdinals(SQLiteConnection conn) {
        this.conn = conn;
    }

    void forget() {
        ordinals.clear();
        siteIds.clear();
    }

    /** The ordinal a site id is stored under, allocating one on first sight. Empty = local, as cr-sqlite. */
    long ordinal(byte[] site) throws SQLException {
        if (site.length == 0) {
            return 0;
        }
        Long cached = ordinals.get(ByteBuffer.wrap(site));
        if (cached != null) {
            return cached;
        }
        long ordinal;
        try (PreparedStatement p = conn.prepareStatement("SELECT ordinal FROM " + CrrMetadata.SITE_ID + " WHERE site_id = ?")) {
            p.setBytes(1, site);
            try (ResultSet rs = p.executeQuery()) {
                ordinal = rs.next() ? rs.getLong(1) : -1;
            }
        }
        if (ordinal < 0) {
            try (PreparedStatement p = conn.prepareStatement("INSERT INTO " + CrrMetadata.SITE_ID
                    + " (site_id, ordinal) SELECT ?, COALESCE(max(ordinal), 0) + 1 FROM " + CrrMetadata.SITE_ID)) {
                p.setBytes(1, site);
                p.executeUpdate();
            }
            return ordinal(site);
        }
        ordinals.put(ByteBuffer.wrap(site.clone()), ordinal);
        return ordinal;
    }

    /** The site id stored under {@code ordinal}. */
    byte[] siteId(long ordinal) throws SQLException {
        byte[] cached = siteIds.get(ordinal);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement p = conn.prepareStatement("SELECT site_id FROM " + CrrMetadata.SITE_ID + " WHERE ordinal = ?")) {
            p.setLong(1, ordinal);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("could not find site_id for previous change, cr-sqlite clock table might be corrupt",
                            CrrErrors.INTERNAL);
                }
                byte[] s = rs.getBytes(1);
                siteIds.put(ordinal, s);
                return s;
            }
        }
    }
}
