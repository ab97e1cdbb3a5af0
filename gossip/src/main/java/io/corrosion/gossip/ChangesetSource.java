package io.corrosion.gossip;

/** Where a received changeset came from. */
public enum ChangesetSource {
    BROADCAST,
    SYNC
}
