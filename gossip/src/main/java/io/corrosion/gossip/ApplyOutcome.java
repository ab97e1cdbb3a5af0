package io.corrosion.gossip;

/** What a store did with one changeset of an apply batch. */
public enum ApplyOutcome {
    /** Stored: new seqs of a version (buffered until complete), a complete version, or newly cleared versions. */
    NEW,
    /** Everything in it was already known. */
    DUPLICATE,
    /** Refused: undecodable, or changes this node cannot take (malformed for its schema, refused by its tables). */
    REJECTED
}
