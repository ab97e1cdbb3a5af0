package io.corrosion.gossip.store;

import io.corrosion.gossip.ApplyOutcome;

/** What {@link BookedVersions#book} made of a changeset. */
public enum Booking {
    /** Already known: nothing to apply. */
    DUPLICATE,
    /** Contradicts what is known (another last seq for a version): refuse it. */
    REJECTED,
    /** New seqs of a version still missing others: buffer them. */
    BUFFERED,
    /** The version is now complete: apply it (with whatever was buffered). */
    COMPLETED,
    /** Versions now known to have nothing left (an empty changeset): drop their buffers. */
    CLEARED;

    public ApplyOutcome outcome() {
        return switch (this) {
            case DUPLICATE -> ApplyOutcome.DUPLICATE;
            case REJECTED -> ApplyOutcome.REJECTED;
            default -> ApplyOutcome.NEW;
        };
    }
}
