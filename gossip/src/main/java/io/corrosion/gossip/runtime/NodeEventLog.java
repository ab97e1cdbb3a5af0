package io.corrosion.gossip.runtime;

import io.corrosion.gossip.GossipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node's log says about the core's events: members up, suspected and down; a file behind its own site's
 * history, and another node running with this node's site id (each when first seen, then once a minute); and, a few
 * seconds after sync applied changesets, how the catch-up goes. Protocol thread.
 */
final class NodeEventLog {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEventLog.class);
    private static final long PROGRESS_LOG_MILLIS = 5_000;
    private static final int CATCH_UP_LOG_THRESHOLD = 100;

    /** Runs a step on the protocol thread after a delay. */
    interface Timers {
        void schedule(String what, long delayMillis, Runnable step);
    }

    private final String name;
    private final NodeSnapshots snapshots;
    private final Timers timers;
    private final OncePerMinute ownSiteBehindLog = new OncePerMinute();
    private final OncePerMinute siteIdSharedLog = new OncePerMinute();
    private long syncAppliedWindow;
    private long syncAppliedTotal;
    private boolean progressScheduled;

    NodeEventLog(String name, NodeSnapshots snapshots, Timers timers) {
        this.name = name;
        this.snapshots = snapshots;
        this.timers = timers;
    }

    /** A changeset that came by sync was applied: counted for the next progress line. */
    void syncApplied() {
        syncAppliedWindow++;
        syncAppliedTotal++;
    }

    void ownSiteBehind(GossipEvent.OwnSiteBehind behind) {
        if (!ownSiteBehindLog.due()) {
            return;
        }
        LOG.error("[{}] {} holds versions of this node's own site up to {}, and this node's file only up to {}: the file"
                + " is older than its site's history (restored from a backup, or a copy of it runs as another node)."
                + " This node's new commits take versions the cluster already has, and peers drop them: they stay"
                + " in this file only. Stop this node and start it from an empty file: it catches up by sync.", name,
                behind.peer(), behind.theirHead(), behind.ourHead());
    }

    void siteIdShared(GossipEvent.SiteIdShared shared) {
        if (!siteIdSharedLog.due()) {
            return;
        }
        LOG.error("[{}] the node at {} runs with this node's site id: one of the two files is a copy of the other."
                + " Both nodes' commits take the same versions, and peers keep only one of each. Stop one of them"
                + " and start it from an empty file: it catches up by sync.", name, shared.other());
    }

    void memberEvent(GossipEvent event) {
        if (event instanceof GossipEvent.MemberUp up) {
            LOG.info("[{}] member up: {}", name, up.member());
        } else if (event instanceof GossipEvent.MemberSuspected suspected) {
            LOG.info("[{}] member suspected: {} (by {})", name, suspected.member(), suspected.by().shortString());
        } else if (event instanceof GossipEvent.MemberDown down) {
            LOG.info("[{}] member {}: {}", name, down.left() ? "left" : "dead", down.member());
        }
    }

    /** After a step: if sync applied changesets since the last progress line, the next one is due in a few seconds. */
    void scheduleProgressLog() {
        if (syncAppliedWindow > 0 && !progressScheduled) {
            progressScheduled = true;
            timers.schedule("sync progress", PROGRESS_LOG_MILLIS, this::logSyncProgress);
        }
    }

    private void logSyncProgress() {
        progressScheduled = false;
        long applied = syncAppliedWindow;
        syncAppliedWindow = 0;
        int waiting = snapshots.coreStats().apply().queued();
        if (applied >= CATCH_UP_LOG_THRESHOLD) {
            LOG.info("[{}] catching up: {} changesets from sync applied in the last {} s ({} in all), {} waiting",
                    name, applied, PROGRESS_LOG_MILLIS / 1000, syncAppliedTotal, waiting);
        } else {
            LOG.debug("[{}] sync applied {} changesets in the last {} s ({} in all)", name, applied,
                    PROGRESS_LOG_MILLIS / 1000, syncAppliedTotal);
        }
    }
}
