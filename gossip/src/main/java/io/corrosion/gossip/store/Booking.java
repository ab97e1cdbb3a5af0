package io.corrosion.gossip.store;

import io.corrosion.gossip.ApplyOutcome;

/** What {@link BookedVersions#book} made of a changeset. */
public enum Booking {
    /** Already known: nothing to apply. */
    DUPLICATE,
    /** New seqs of a version still missing others: buffer them. */
    BUFFERED,
    /** The version is now complete: apply it (with whatever was buffered). */
    COMPLETED,
    /** Versions now known to have nothing left (an empty changeset): drop their buffers. */
    CLEARED;

    public ApplyOutcome outcome() {
        return switch (this) {
            case DUPLICATE -> ApplyOutcome.DUPLICATE;
            default -> ApplyOutcome.NEW;
        };
    }
}
