package io.corrosion.jdbc.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * The key allocator's internal tables. Their names start with {@code __corrosion_}, so the driver hides them from
 * the application ({@link io.corrosion.jdbc.InternalTables}) and they are local: never replicated, except
 * {@value #SLOTS_TABLE}, which the replication layer is meant to replicate as a CRR (its columns follow cr-sqlite's
 * rules: NOT NULL primary key, defaults on NOT NULL columns).
 */
final class KeysSchema {
    /** The node's own row: its site id (until the CRR engine provides one), the site id its claims carry, its slot. */
    static final String NODE_TABLE = "__corrosion_keys_node";
    /** Slot claims of every node; replicated later. */
    static final String SLOTS_TABLE = "__corrosion_node_slots";
    /**
     * Whether a claim's slot is configured ({@code node-slot}): a claiming node in that slot moves, whatever the site
     * ids. Files from before it get the column on open.
     */
    private static final String CONFIGURED_COLUMN = "configured INTEGER NOT NULL DEFAULT 0";

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS " + NODE_TABLE + " (id INTEGER PRIMARY KEY CHECK (id = 1), own_site_id BLOB, "
                + "claim_site_id BLOB, slot INTEGER, slot_configured INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS " + SLOTS_TABLE + " (slot INTEGER PRIMARY KEY NOT NULL, "
                + "site_id BLOB NOT NULL DEFAULT x'', claimed_at INTEGER NOT NULL DEFAULT 0, " + CONFIGURED_COLUMN + ")",
        "CREATE TABLE IF NOT EXISTS " + Reservations.TABLE + " (name TEXT PRIMARY KEY NOT NULL, "
                + "next INTEGER NOT NULL, step INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
    };

    private KeysSchema() {}

    /**
     * Creates the tables that do not exist yet, and adds the columns a file from an older driver lacks; the caller owns
     * the transaction. A replicated claims table altered here is the CRR engine's to set up again (its capture does not
     * know the new column yet).
     */
    static void create(SQLiteConnection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : DDL) {
                s.executeUpdate(ddl);
            }
            boolean hasConfigured;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + SLOTS_TABLE
                    + "') WHERE name = 'configured'")) {
                hasConfigured = rs.next();
            }
            if (!hasConfigured) {
                s.executeUpdate("ALTER TABLE " + SLOTS_TABLE + " ADD COLUMN " + CONFIGURED_COLUMN);
            }
        }
    }
}
