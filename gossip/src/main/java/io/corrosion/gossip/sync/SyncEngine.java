package io.corrosion.gossip.sync;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.LivePeers;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.RandomPicks;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore.ReadBatch;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncChangesets;
import io.corrosion.gossip.wire.SyncDone;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.SyncReject;
import io.corrosion.gossip.wire.SyncRequest;
import io.corrosion.gossip.wire.SyncStart;
import io.corrosion.gossip.wire.SyncStateReply;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy, sans-IO. Every sync interval (jittered) a node opens a session with a random live member:
 *
 * <pre>
 *   initiator                         responder
 *   SyncStart(our state)      -->
 *                             <--     SyncStateReply(its state), SyncRequest(what it lacks of ours)
 *   SyncRequest(what we lack) -->
 *   SyncChangesets ... SyncDone <-->  SyncChangesets ... SyncDone     (each side serves the other)
 * </pre>
 *
 * Needs are Corrosion's ({@link SyncNeeds}). Each side serves in batches of {@code syncBatchBytes}, one store read
 * at a time, up to {@code syncMaxBytesPerSession}; a side cut short starts its next session at once. A node's first
 * session starts as soon as it knows a peer, so a new or restarted node does not wait a sync interval to catch up.
 * The session ends when both sides have sent {@link SyncDone}, or after {@code syncSessionTimeout} without
 * progress (an empty batch is none), or {@link #MAX_SESSION_TIMEOUTS} times that after it began, whatever the peer
 * sends: a peer, hostile or broken, that keeps a session going without finishing it does not keep it for good. A
 * responder serves at most {@code maxInboundSyncs} sessions and refuses more as busy. (The bound per peer,
 * {@code maxInboundSyncsPerPeer}, is the runtime's: only the transport knows who a peer is; the site a SyncStart
 * names is the sender's word, and another member could name ours to end our sessions.)
 *
 * <p>A node has several sessions open at once (its own, and those its peers started), and both sides of each serve
 * the other: each asks only for versions no other open session asked for and is still being served
 * ({@link SyncNeeds#without}). A node catching up would otherwise be sent every version once per session (its
 * peer's periodic one too), and its peer read each that many times. A session that ends without serving what it was
 * asked (timed out, broken) leaves it to the next, and so does one that stops delivering: what it was asked stops
 * counting as asked {@code syncSessionTimeout} after its last changesets (or the request) came.
 *
 * <p>Versions this node's store refused ({@link #refused}: malformed, or its tables refuse them) are not asked for
 * again for a while ({@link RefusedVersions}). Needs go out in a fixed order and a session carries a bounded number of
 * bytes, so refused versions asked for again every round could fill every session and starve the needs behind them.
 */
public final class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    /** A session lasts at most this many {@code syncSessionTimeout}s, progress or not (two minutes by default). */
    static final int MAX_SESSION_TIMEOUTS = 4;
    /** Handover sessions begin at most this often: the peer stores what the last one served meanwhile. */
    static final long HANDOVER_ROUND_MILLIS = 100;

    private final GossipConfig config;
    private final Supplier<Member> self;
    private final LivePeers peers;
    private final RandomGenerator random;
    private final Map<SessionKey, SyncSession> sessions = new LinkedHashMap<>();
    private final RefusedVersions refused = new RefusedVersions();
    private long nextSyncAt = Long.MAX_VALUE;
    private SessionKey outgoing;
    /** Handing this node's own versions over before it leaves ({@link #handOver}); the open session, if any. */
    private boolean handingOver;
    private SessionKey handover;
    private long nextHandoverAt = Long.MAX_VALUE;
    /** Versions of our own site the last handover peer lacked (-1: no answer yet; 0: handed over). */
    private long handoverLacking = -1;
    private NodeAddress handoverPeer;
    private boolean handoverAbandoned;

    private long started;
    private long served;
    private long completed;
    private long rejected;
    private long timedOut;
    private long broken;
    private long changesetsReceived;
    private long changesetsSent;
    private long bytesSent;
    private long truncated;
    private long tooLarge;
    private long ownSiteBehind;

    public SyncEngine(GossipConfig config, Supplier<Member> self, LivePeers peers, RandomGenerator random) {
        this.config = config;
        this.self = self;
        this.peers = peers;
        this.random = random;
    }

    public void start(long now) {
        nextSyncAt = now + RandomPicks.jitter(config.syncInterval().toMillis(), 0.5, random);
    }

    public void onTimeout(long now, SyncOutput out) {
        for (SyncSession s : new ArrayList<>(sessions.values())) {
            if (now >= s.deadline(config)) {
                timedOut++;
                LOG.debug("sync session {} with {} timed out", s.key, s.peer);
                close(s, false, out);
            }
        }
        if (handingOver) {
            continueHandover(now, out);
        }
        // A node that never synced does so as soon as it knows a peer: a new or restarted node catches up at once.
        boolean firstChance = started == 0 && outgoing == null && !peers.livePeers().isEmpty();
        if (now >= nextSyncAt || firstChance) {
            nextSyncAt = now + RandomPicks.jitter(config.syncInterval().toMillis(), 0.5, random);
            if (outgoing == null) {
                Member peer = RandomPicks.one(peers.livePeers(), m -> false, random);
                if (peer != null) {
                    SessionKey key = new SessionKey(self.get().siteId(), random.nextLong());
                    sessions.put(key, new SyncSession(key, true, peer.address(), now));
                    outgoing = key;
                    started++;
                    out.requestState(key);
                }
            }
        }
    }

    public long nextTimeout() {
        long next = Math.min(nextSyncAt, nextHandoverAt);
        for (SyncSession s : sessions.values()) {
            next = Math.min(next, s.deadline(config));
        }
        return next;
    }

    public void onMessage(SyncMessage message, long now, SyncOutput out) {
        if (message instanceof SyncStart start) {
            onStart(start, now, out);
            return;
        }
        SyncSession s = sessions.get(message.session());
        if (s == null) {
            return; // closed or timed out already
        }
        if (!(message instanceof SyncChangesets batch) || !batch.changesets().isEmpty()) {
            s.lastActivity = now; // an empty batch is no progress (a peer never sends one)
        }
        if (message instanceof SyncStateReply reply && s.initiator && s.theirs == null) {
            s.theirs = reply.state();
            if (s.key.equals(handover)) {
                handoverAnswered(s, out);
            } else {
                requestFrom(s, now, out);
            }
        } else if (message instanceof SyncRequest request) {
            serve(s, request.needs(), out);
        } else if (message instanceof SyncChangesets batch) {
            if (!batch.changesets().isEmpty()) {
                s.lastDelivery = now;
            }
            changesetsReceived += batch.changesets().size();
            out.received(batch.changesets());
        } else if (message instanceof SyncDone done) {
            s.peerDone = true;
            if (done.truncated()) {
                // The peer had more for us than a session carries: the next session starts at once.
                nextSyncAt = Math.min(nextSyncAt, now);
            }
            closeIfFinished(s, out);
        } else if (message instanceof SyncReject) {
            rejected++;
            close(s, true, out);
        }
    }

    /** Our state, read for the session. */
    public void onLocalState(SessionKey key, SyncState ours, long now, SyncOutput out) {
        SyncSession s = sessions.get(key);
        if (s == null) {
            return;
        }
        s.lastActivity = now;
        s.haveLocalState = true;
        s.ours = ours;
        if (s.initiator) {
            out.send(s.peer, new SyncStart(key, self.get(), ours));
        } else {
            out.send(s.peer, new SyncStateReply(key, ours));
            checkOwnSite(s, out);
            requestFrom(s, now, out);
        }
    }

    public void onReadResult(SessionKey key, ReadBatch batch, long now, SyncOutput out) {
        SyncSession s = sessions.get(key);
        if (s == null) {
            return;
        }
        s.lastActivity = now;
        sendInFrames(s, batch.changesets(), out);
        if (batch.remaining().isEmpty() || batch.changesets().isEmpty()) {
            finishServing(s, false, out);
        } else if (s.servedBytes >= config.syncMaxBytesPerSession()) {
            truncated++;
            finishServing(s, true, out);
        } else {
            out.requestRead(key, batch.remaining(), config.syncBatchBytes());
        }
    }

    /**
     * Sends a read batch in as many messages as fit a frame each. A changeset too big for any frame (a single change
     * of several megabytes: a version is chunked by seq, a change is not) cannot go; it is left out and logged, and the
     * rest of the batch goes (once the whole batch was dropped at encoding, every round, with the versions in it).
     */
    private void sendInFrames(SyncSession s, List<Changeset> changesets, SyncOutput out) {
        long limit = config.maxFrameBytes() - WireCodec.SYNC_BATCH_OVERHEAD_BYTES;
        List<Changeset> frame = new ArrayList<>();
        long frameBytes = 0;
        for (Changeset cs : changesets) {
            int size = WireCodec.changesetSize(cs);
            if (size > limit) {
                if (tooLarge++ % 100 == 0) { // every round serves it again: the first and every 100th are logged
                    LOG.error("{} is {} bytes, more than a frame carries ({} bytes): it cannot be sent to {}; a change"
                            + " (one column value) that large does not replicate", cs, size, config.maxFrameBytes(),
                            s.peer);
                }
                continue;
            }
            if (!frame.isEmpty() && frameBytes + size > limit) {
                send(s, frame, frameBytes, out);
                frame = new ArrayList<>();
                frameBytes = 0;
            }
            frame.add(cs);
            frameBytes += size;
        }
        if (!frame.isEmpty()) {
            send(s, frame, frameBytes, out);
        }
    }

    private void send(SyncSession s, List<Changeset> frame, long bytes, SyncOutput out) {
        s.servedBytes += bytes;
        bytesSent += bytes;
        changesetsSent += frame.size();
        out.send(s.peer, new SyncChangesets(s.key, frame));
    }

    /** A store read for the session failed: give up on it. */
    public void onStoreFailure(SessionKey key, long now, SyncOutput out) {
        SyncSession s = sessions.get(key);
        if (s != null) {
            if (!s.initiator && !s.haveLocalState) {
                out.send(s.peer, new SyncReject(key, SyncReject.Reason.UNAVAILABLE));
            }
            broken++;
            close(s, false, out);
        }
    }

    /** The transport lost the session's stream. */
    public void onSessionBroken(SessionKey key, long now, SyncOutput out) {
        SyncSession s = sessions.get(key);
        if (s != null) {
            broken++;
            close(s, false, out);
        }
    }

    /** The store refused a changeset (received by sync or broadcast): its versions are not asked for a while. */
    public void refused(Changeset changeset, long now) {
        refused.add(changeset, now);
    }

    /** The head of our own site in a sync state (0: none). */
    private long ownHead(SyncState state) {
        SyncState.SiteVersions own = state.sites().get(self.get().siteId());
        return own == null ? 0 : own.head();
    }

    /**
     * Before this node leaves: hands its own versions over to a live peer, so that a node that does not come back
     * takes none with it. A session opens at once; the peer's state reply says whether it holds every version of our
     * site that we hold ({@link #handedOver}); if not, the peer asks for the rest in that session and is served, and
     * the next session (with any live peer) asks again, until one answers that it holds them all. Changesets in
     * flight, broadcast or served and not stored by the peer yet, count once its reply shows them. This node asks
     * for nothing in these sessions. Returns false if no member is alive to hand over to.
     */
    public boolean handOver(long now, SyncOutput out) {
        if (peers.livePeers().isEmpty()) {
            return false;
        }
        handingOver = true;
        if (handover == null && handoverLacking != 0) {
            openHandover(now, out);
        }
        return true;
    }

    /** Whether a peer answered that it holds every version of our own site that we hold ({@link #handOver}). */
    public boolean handedOver() {
        return handoverLacking == 0;
    }

    /** How the handover stands, for the log: who answered last, and how many versions of our site it lacked. */
    public String handoverProgress() {
        return handoverLacking < 0 ? "no peer answered" : handoverLacking == 0 ? handoverPeer + " holds them all"
                : handoverPeer + " lacked " + handoverLacking + " versions";
    }

    /** Whether the handover ended without a peer holding our versions: every member left or died meanwhile. */
    public boolean handoverAbandoned() {
        return handoverAbandoned;
    }

    private void continueHandover(long now, SyncOutput out) {
        SyncSession open = handover == null ? null : sessions.get(handover);
        if (open != null && peers.livePeers().stream().noneMatch(m -> m.address().equals(open.peer))) {
            broken++;
            close(open, false, out); // its peer left or died: no answer is coming; ask another at once
            nextHandoverAt = now;
        }
        if (handover == null && handoverLacking != 0 && !handoverAbandoned && now >= nextHandoverAt) {
            openHandover(now, out);
        }
    }

    private void openHandover(long now, SyncOutput out) {
        Member peer = RandomPicks.one(peers.livePeers(), m -> false, random);
        nextHandoverAt = Long.MAX_VALUE;
        if (peer == null) {
            handoverAbandoned = true;
            return;
        }
        SessionKey key = new SessionKey(self.get().siteId(), random.nextLong());
        sessions.put(key, new SyncSession(key, true, peer.address(), now));
        handover = key;
        started++;
        out.requestState(key);
    }

    /** The handover peer's state: what it lacks of our own site (it asks for that itself); we ask for nothing. */
    private void handoverAnswered(SyncSession s, SyncOutput out) {
        SiteId own = self.get().siteId();
        long lacking = 0;
        for (SyncNeed need : SyncNeeds.compute(s.theirs, s.ours)) {
            if (need.siteId().equals(own)) {
                lacking += need instanceof SyncNeed.Full full ? full.versions().length() : 1;
            }
        }
        handoverLacking = lacking;
        handoverPeer = s.peer;
        s.requested = List.of();
        out.send(s.peer, new SyncRequest(s.key, List.of()));
    }

    public SyncStats stats() {
        return new SyncStats(started, served, completed, rejected, timedOut, broken, changesetsReceived,
                changesetsSent, bytesSent, truncated, tooLarge, ownSiteBehind, sessions.size());
    }

    private void onStart(SyncStart start, long now, SyncOutput out) {
        SessionKey key = start.session();
        if (sessions.containsKey(key) || key.initiator().equals(self.get().siteId())) {
            return;
        }
        long inbound = sessions.values().stream().filter(s -> !s.initiator).count();
        if (inbound >= config.maxInboundSyncs()) {
            out.send(start.initiator().address(), new SyncReject(key, SyncReject.Reason.BUSY));
            // The refusal is the last word on this session's stream.
            out.sessionClosed(start.initiator().address(), key, true);
            return;
        }
        SyncSession s = new SyncSession(key, false, start.initiator().address(), now);
        s.theirs = start.state();
        sessions.put(key, s);
        served++;
        out.requestState(key);
    }

    /**
     * Whether the peer holds versions of our own site beyond ours. Checked as the responder: our state is read after
     * the peer's, so every version of ours it holds from us is in ours (as the initiator, ours is the older one, and
     * a version we broadcast in between would look missing).
     */
    private void checkOwnSite(SyncSession s, SyncOutput out) {
        long ourHead = ownHead(s.ours);
        long theirHead = ownHead(s.theirs);
        if (theirHead > ourHead) {
            ownSiteBehind++;
            out.ownSiteBehind(s.peer, theirHead, ourHead);
        }
    }

    private void requestFrom(SyncSession s, long now, SyncOutput out) {
        List<SyncNeed> needs = SyncNeeds.without(SyncNeeds.compute(s.ours, s.theirs), outstanding(s, now));
        s.requested = needs;
        s.lastDelivery = now;
        out.send(s.peer, new SyncRequest(s.key, needs));
    }

    /**
     * What other open sessions asked their peers for and are still being served (changesets came lately), and the
     * versions refused lately.
     */
    private List<SyncNeed> outstanding(SyncSession except, long now) {
        List<SyncNeed> asked = refused.lately(now);
        for (SyncSession other : sessions.values()) {
            if (other != except && other.requested != null && !other.peerDone
                    && now - other.lastDelivery < config.syncSessionTimeout().toMillis()) {
                asked.addAll(other.requested);
            }
        }
        return asked;
    }

    private void serve(SyncSession s, List<SyncNeed> needs, SyncOutput out) {
        if (needs.isEmpty()) {
            finishServing(s, false, out);
            return;
        }
        out.requestRead(s.key, needs, config.syncBatchBytes());
    }

    private void finishServing(SyncSession s, boolean cut, SyncOutput out) {
        s.doneSent = true;
        out.send(s.peer, new SyncDone(s.key, cut));
        closeIfFinished(s, out);
    }

    private void closeIfFinished(SyncSession s, SyncOutput out) {
        if (s.doneSent && s.peerDone) {
            completed++;
            close(s, true, out);
        }
    }

    private void close(SyncSession s, boolean clean, SyncOutput out) {
        sessions.remove(s.key);
        if (s.key.equals(outgoing)) {
            outgoing = null;
        }
        if (s.key.equals(handover)) {
            handover = null;
            nextHandoverAt = handoverLacking == 0 ? Long.MAX_VALUE : s.began + HANDOVER_ROUND_MILLIS;
        }
        out.sessionClosed(s.peer, s.key, clean);
    }
}
