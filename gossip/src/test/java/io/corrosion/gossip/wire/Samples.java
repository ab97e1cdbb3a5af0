package io.corrosion.gossip.wire;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.SyncState.SiteVersions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** One valid instance of every message type, with non-trivial field values. */
final class Samples {

    static final SiteId A = SiteId.random(new SplittableRandom(1));
    static final SiteId B = SiteId.random(new SplittableRandom(2));
    static final Member ALICE = new Member(A, new NodeAddress("10.0.0.1", 7400), 1_700_000_000_123L);
    static final Member BOB = new Member(B, NodeAddress.parse("[::1]:7401"), 3);
    static final SessionKey SESSION = new SessionKey(A, -42L);

    static List<MemberUpdate> updates() {
        return List.of(new MemberUpdate(MemberStatus.ALIVE, BOB, B),
                new MemberUpdate(MemberStatus.SUSPECT, BOB, A),
                new MemberUpdate(MemberStatus.DEAD, ALICE, B),
                new MemberUpdate(MemberStatus.LEFT, ALICE, A));
    }

    static Changeset.Full chunk() {
        return new Changeset.Full(B, 300, new LongRange(5, 9), 20, 0xFEDCBA9876543210L, new byte[] {1, 2, 3});
    }

    static SyncState state() {
        TreeMap<Long, List<LongRange>> partials = new TreeMap<>(Map.of(12L, List.of(new LongRange(0, 3),
                new LongRange(8, 8))));
        TreeMap<SiteId, SiteVersions> sites = new TreeMap<>();
        sites.put(A, SiteVersions.complete(10));
        sites.put(B, new SiteVersions(1L << 40, List.of(new LongRange(2, 5), new LongRange(7, 7)), partials));
        return new SyncState(A, sites);
    }

    static List<GossipMessage> all() {
        return List.of(
                new Ping(ALICE, 1, B, updates()),
                new Ack(BOB, Long.MAX_VALUE, List.of()),
                new PingReq(ALICE, 77, BOB, updates()),
                new Nack(BOB, 77, updates().subList(0, 1)),
                new Gossip(ALICE, updates()),
                new PushPull(BOB, true, updates()),
                new BroadcastMessage(A, 3, chunk()),
                new BroadcastMessage(B, 0, new Changeset.Empty(A, new LongRange(4, 9), 0)),
                new BroadcastBatch(List.of(new BroadcastMessage(A, 3, chunk()),
                        new BroadcastMessage(A, 0, Changeset.Full.complete(A, 2, 0, 7, new byte[] {9})))),
                new SyncStart(SESSION, ALICE, state()),
                new SyncStateReply(SESSION, SyncState.empty(B)),
                new SyncRequest(SESSION, List.of(new SyncNeed.Full(B, new LongRange(1, 1000)),
                        new SyncNeed.Partial(B, 12, List.of(new LongRange(4, 7))))),
                new SyncChangesets(SESSION, List.of(chunk(), new Changeset.Empty(B, LongRange.single(1), 5),
                        Changeset.Full.complete(A, 1, 0, 0, new byte[0]))),
                new SyncDone(SESSION, true),
                new SyncReject(SESSION, SyncReject.Reason.BUSY));
    }

    private Samples() {
    }
}
