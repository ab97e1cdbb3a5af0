package io.corrosion.gossip.sync;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import java.util.List;

/**
 * Where {@link SyncEngine} puts what it wants done. Store reads are requests: their answers come back through
 * {@link SyncEngine#onLocalState} and {@link SyncEngine#onReadResult}.
 */
public interface SyncOutput {

    void send(NodeAddress to, SyncMessage message);

    /** Read our sync state for the session. */
    void requestState(SessionKey session);

    /** Read a bounded batch answering the peer's needs. */
    void requestRead(SessionKey session, List<SyncNeed> needs, int maxBytes);

    /** Changesets the peer sent us: hand them to the store. */
    void received(List<Changeset> changesets);

    /**
     * The session is over: its stream can go. {@code clean} when both sides said they are done, or one refused
     * (the stream is finished); not clean when it timed out, broke or a store read failed (the stream is aborted,
     * so the peer learns at once instead of waiting for its own timeout).
     */
    void sessionClosed(NodeAddress peer, SessionKey session, boolean clean);

    /**
     * The peer holds versions of our own site up to {@code theirHead}, beyond our {@code ourHead}: this node's file is
     * older than its site's history (restored from a backup, or a copy of it runs as another node).
     */
    void ownSiteBehind(NodeAddress peer, long theirHead, long ourHead);
}
