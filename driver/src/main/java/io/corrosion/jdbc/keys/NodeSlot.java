package io.corrosion.jdbc.keys;

/**
 * The slot a node generates keys in.
 *
 * @param slot       0 to 1023
 * @param configured set by the {@code node-slot} property (a guarantee the operator gives), not claimed
 */
public record NodeSlot(int slot, boolean configured) {
    public NodeSlot {
        if (slot < 0 || slot >= IdScheme.SLOTS) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
    }
}
