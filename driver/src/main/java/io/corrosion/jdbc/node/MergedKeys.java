package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.PackedColumns;
import io.corrosion.jdbc.keys.KeysExtension;
import io.corrosion.jdbc.keys.LocalTables;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * What merged changes mean for this node's generated keys: the slot claims among them (columns of
 * {@code __corrosion_node_slots} rows, by slot) and, per table, the largest merged key in this node's slot.
 */
record MergedKeys(List<Long> claimedSlots, Map<String, Long> ownSlotKeys) {

    static MergedKeys of(List<Change> changes, KeysExtension keys, SQLiteConnection connection) {
        List<Long> claimedSlots = new ArrayList<>();
        Map<String, Long> ownSlotKeys = new HashMap<>();
        for (Change ch : changes) {
            if (ch.table().equals(LocalTables.REPLICATED_INTERNAL)) {
                Object slot = ch.isSentinel() ? null : PackedColumns.unpack(ch.pk()).get(0);
                if (slot instanceof Long l && !claimedSlots.contains(l)) {
                    claimedSlots.add(l);
                }
            } else {
                long key = PackedColumns.positiveIntegerKey(ch.pk());
                if (key > 0 && keys.inOwnSlot(connection, key)) {
                    ownSlotKeys.merge(ch.table(), key, Math::max);
                }
            }
        }
        return new MergedKeys(claimedSlots, ownSlotKeys);
    }

    boolean none() {
        return claimedSlots.isEmpty() && ownSlotKeys.isEmpty();
    }

    /** Moves the key counters past the merged keys in this node's slot, in the caller's transaction. */
    void skipKeys(KeysExtension keys, SQLiteConnection connection) throws SQLException {
        for (Map.Entry<String, Long> e : ownSlotKeys.entrySet()) {
            keys.keyMerged(connection, e.getKey(), e.getValue());
        }
    }

    /** Applies the slot conflict rule to each claimed slot, in the caller's transaction. */
    static void resolveClaims(KeysExtension keys, SQLiteConnection connection, List<Long> slots) throws SQLException {
        for (long slot : slots) {
            keys.claimMerged(connection, (int) slot);
        }
    }
}
