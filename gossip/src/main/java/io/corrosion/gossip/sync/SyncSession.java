package io.corrosion.gossip.sync;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.wire.SessionKey;
import java.util.List;

/**
 * One open sync session as {@link SyncEngine} keeps it: ours or one a peer started, both sides' states, how far each
 * side is with serving the other, and when it last made progress. Plain state; the engine's thread alone uses it.
 */
final class SyncSession {
    final SessionKey key;
    final boolean initiator;
    final NodeAddress peer;
    SyncState ours;
    SyncState theirs;
    boolean haveLocalState;
    long servedBytes;
    boolean doneSent;
    boolean peerDone;
    /** What we asked the peer for, once we did; outstanding until it is done serving or stops delivering. */
    List<SyncNeed> requested;
    final long began;
    long lastActivity;
    /** When we asked, or last received changesets on it. */
    long lastDelivery;

    SyncSession(SessionKey key, boolean initiator, NodeAddress peer, long now) {
        this.key = key;
        this.initiator = initiator;
        this.peer = peer;
        this.began = now;
        this.lastActivity = now;
    }

    /**
     * When it times out: {@code syncSessionTimeout} without progress, or {@link SyncEngine#MAX_SESSION_TIMEOUTS} times
     * that after it began.
     */
    long deadline(GossipConfig config) {
        long timeout = config.syncSessionTimeout().toMillis();
        return Math.min(lastActivity + timeout, began + timeout * SyncEngine.MAX_SESSION_TIMEOUTS);
    }
}
