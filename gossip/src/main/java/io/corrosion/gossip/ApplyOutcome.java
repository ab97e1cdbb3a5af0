package io.corrosion.gossip;

/** What a store did with one changeset of an apply batch. */
public enum ApplyOutcome {
    /** Stored: new seqs of a version (buffered until complete), a complete version, or newly cleared versions. */
    NEW,
    /** Everything in it was already known. */
    DUPLICATE,
    /** Inconsistent with what is known (e.g. another last seq for the version) or otherwise refused. */
    REJECTED
}
