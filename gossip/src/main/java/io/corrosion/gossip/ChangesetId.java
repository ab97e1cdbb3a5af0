package io.corrosion.gossip;

/** Identity of a changeset for dedupe: site, versions, and for a chunk its seqs (null for an empty). */
public record ChangesetId(SiteId siteId, LongRange versions, LongRange seqs) {
}
