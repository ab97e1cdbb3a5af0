package io.corrosion.gossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Gossip;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.PushPull;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node restarted on a new address (new port, or a new pod IP) with its file keeps its site id and takes a newer
 * incarnation (the clock at start). A member that hears of a suspicion (or death) of the new incarnation before its
 * alive news kept the old address with the new incarnation and gossiped that; the restarted node then saw "news of our
 * site at another address, as new as we are" and reported SiteIdShared: a false ERROR telling the operator to wipe a
 * healthy node's file. Now an accusation at a newer incarnation brings its address, and only alive news and direct
 * senders count as evidence of a shared site id.
 */
class RestartOnNewAddressTest {

    private final GossipConfig config = GossipConfig.defaults();
    private final SiteId xSite = new SiteId(0, 1);
    private final Member xOld = new Member(xSite, new NodeAddress("10.0.0.1", 7400), 1_000);
    private final Member xNew = new Member(xSite, new NodeAddress("10.0.0.1", 7500), 500_000);
    private final Member c = new Member(new SiteId(0, 3), new NodeAddress("10.0.0.3", 7400), 1_000);
    private final Member d = new Member(new SiteId(0, 4), new NodeAddress("10.0.0.4", 7400), 1_000);
    private final Member e = new Member(new SiteId(0, 5), new NodeAddress("10.0.0.5", 7400), 1_000);

    /** What C gossips about X after hearing {@code status} of the restarted X from D before its alive news. */
    private List<MemberUpdate> cGossipAboutX(MemberStatus status) {
        Recorder out = new Recorder();
        Membership cm = new Membership(config, c, List.of(), new SplittableRandom(3));
        long now = 1_000;
        cm.start(now, out);
        cm.onMessage(new PushPull(d, true, List.of(new MemberUpdate(MemberStatus.ALIVE, d, d.siteId()),
                new MemberUpdate(MemberStatus.ALIVE, e, e.siteId()),
                new MemberUpdate(MemberStatus.ALIVE, xOld, xSite))), now, out);
        // X restarts on port 7500; D (its seed) learned it, then a probe of it failed: D gossips the suspicion.
        now += 10;
        cm.onMessage(new Gossip(d, List.of(new MemberUpdate(status, xNew, d.siteId()))), now, out);
        out.clear();
        List<MemberUpdate> aboutX = new ArrayList<>();
        for (int i = 0; i < 20 && aboutX.isEmpty(); i++) {
            now = Math.max(now + 1, cm.nextTimeout());
            cm.onTimeout(now, out);
            for (Gossip g : out.sent(Gossip.class)) {
                g.updates().stream().filter(u -> u.member().siteId().equals(xSite)).forEach(aboutX::add);
            }
            out.clear();
        }
        return aboutX;
    }

    /** The restarted X hears C's gossip. */
    private List<GossipEvent.SiteIdShared> restartedNodeHears(List<MemberUpdate> updates) {
        Recorder out = new Recorder();
        Membership xm = new Membership(config, xNew, List.of(), new SplittableRandom(1));
        long now = 600_000;
        xm.start(now, out);
        xm.onMessage(new Gossip(c, updates), now, out);
        return out.events(GossipEvent.SiteIdShared.class);
    }

    @Test
    void suspicionOfARestartedNodeIsNotReportedAsASharedSiteId() {
        List<MemberUpdate> aboutX = cGossipAboutX(MemberStatus.SUSPECT);
        assertThat(aboutX).as("C gossips the suspicion").isNotEmpty();
        assertThat(restartedNodeHears(aboutX))
                .as("restarted node (same file, new port) told its site id is shared; C gossiped %s", aboutX)
                .isEmpty();
    }

    @Test
    void deathOfARestartedNodeIsNotReportedAsASharedSiteId() {
        List<MemberUpdate> aboutX = cGossipAboutX(MemberStatus.DEAD);
        assertThat(aboutX).as("C gossips the death").isNotEmpty();
        assertThat(restartedNodeHears(aboutX))
                .as("restarted node (same file, new port) told its site id is shared; C gossiped %s", aboutX)
                .isEmpty();
    }

    @Test
    void aMemberSuspectingTheNewIncarnationKeepsItsNewAddress() {
        List<MemberUpdate> aboutX = cGossipAboutX(MemberStatus.SUSPECT);
        assertThat(aboutX).extracting(u -> u.member().address())
                .as("address C now holds for X at incarnation %d", xNew.incarnation())
                .containsOnly(xNew.address());
    }
}
