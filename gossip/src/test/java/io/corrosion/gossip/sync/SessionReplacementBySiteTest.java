package io.corrosion.gossip.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncMessage;
import io.corrosion.gossip.wire.SyncStart;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The site a SyncStart names is the sender's word: another member, or a node running a copy of A's file, naming A's
 * site must not end A's sessions. The core's per-peer bound keyed on it did, so A stopped catching up; the bound is the
 * runtime's now, by connection address.
 */
class SessionReplacementBySiteTest {

    private static final class Out implements SyncOutput {
        final List<SessionKey> closedUnclean = new ArrayList<>();

        @Override
        public void send(NodeAddress to, SyncMessage message) {
        }

        @Override
        public void requestState(SessionKey session) {
        }

        @Override
        public void requestRead(SessionKey session, List<SyncNeed> needs, int maxBytes) {
        }

        @Override
        public void received(List<Changeset> changesets) {
        }

        @Override
        public void sessionClosed(NodeAddress peer, SessionKey session, boolean clean) {
            if (!clean) {
                closedUnclean.add(session);
            }
        }

        @Override
        public void ownSiteBehind(NodeAddress peer, long theirHead, long ourHead) {
        }
    }

    @Test
    void aSyncStartFromAnotherMemberNamingAsSiteDoesNotAbortAsSession() {
        GossipConfig config = GossipConfig.defaults();
        Member b = new Member(new SiteId(0, 2), new NodeAddress("10.0.0.2", 7400), 1);
        Member a = new Member(new SiteId(0, 1), new NodeAddress("10.0.0.1", 7400), 1);
        Member other = new Member(new SiteId(0, 9), new NodeAddress("10.0.0.9", 7400), 1);
        SyncEngine responder = new SyncEngine(config, () -> b, () -> List.of(a, other), new SplittableRandom(1));
        Out out = new Out();

        SessionKey aSession = new SessionKey(a.siteId(), 1);
        responder.onMessage(new SyncStart(aSession, a, SyncState.empty(a.siteId())), 0, out);
        // Another member (its own address, its own certificate) opens a session whose key names A's site.
        responder.onMessage(new SyncStart(new SessionKey(a.siteId(), 2), other, SyncState.empty(other.siteId())), 10,
                out);
        assertThat(out.closedUnclean).as("A's session aborted by a SyncStart that another member sent").isEmpty();
    }
}
