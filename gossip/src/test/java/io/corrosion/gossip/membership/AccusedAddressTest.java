package io.corrosion.gossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.Gossip;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.PushPull;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An accusation at a newer incarnation moves the member to the accusation's address: the cached live list (gossip
 * targets, indirect-probe helpers, push-pull, the sync engine's peers) follows, as members() does. It kept the old
 * address, and a dead address was even picked as a helper.
 */
class AccusedAddressTest {

    private final GossipConfig config = GossipConfig.defaults();
    private final SiteId xSite = new SiteId(0, 1);
    private final Member xOld = new Member(xSite, new NodeAddress("10.0.0.1", 7400), 1_000);
    private final Member xNew = new Member(xSite, new NodeAddress("10.0.0.1", 7500), 500_000);
    private final Member c = new Member(new SiteId(0, 3), new NodeAddress("10.0.0.3", 7400), 1_000);
    private final Member d = new Member(new SiteId(0, 4), new NodeAddress("10.0.0.4", 7400), 1_000);

    @Test
    void livePeersFollowTheAddressASuspicionBrings() {
        Recorder out = new Recorder();
        Membership cm = new Membership(config, c, List.of(), new SplittableRandom(3));
        long now = 1_000;
        cm.start(now, out);
        cm.onMessage(new PushPull(d, true, List.of(new MemberUpdate(MemberStatus.ALIVE, d, d.siteId()),
                new MemberUpdate(MemberStatus.ALIVE, xOld, xSite))), now, out);
        assertThat(cm.livePeers()).contains(xOld); // the live list is cached now
        cm.onMessage(new Gossip(d, List.of(new MemberUpdate(MemberStatus.SUSPECT, xNew, d.siteId()))), now + 10, out);

        NodeAddress inTable = cm.members().stream().filter(v -> v.member().siteId().equals(xSite)).findFirst()
                .orElseThrow().member().address();
        NodeAddress inLive = cm.livePeers().stream().filter(m -> m.siteId().equals(xSite)).findFirst()
                .orElseThrow().address();
        assertThat(inTable).as("members() after the suspicion").isEqualTo(xNew.address());
        assertThat(inLive).as("livePeers() (gossip, sync and helper targets) after a suspicion moved X to %s",
                inTable).isEqualTo(xNew.address());
    }

    @Test
    void nothingIsSentToTheAddressASuspicionMovedTheMemberFrom() {
        Recorder out = new Recorder();
        Membership cm = new Membership(config, c, List.of(), new SplittableRandom(3));
        long now = 1_000;
        cm.start(now, out);
        cm.onMessage(new PushPull(d, true, List.of(new MemberUpdate(MemberStatus.ALIVE, d, d.siteId()),
                new MemberUpdate(MemberStatus.ALIVE, xOld, xSite))), now, out);
        cm.livePeers();
        cm.onMessage(new Gossip(d, List.of(new MemberUpdate(MemberStatus.SUSPECT, xNew, d.siteId()))), now + 10, out);
        out.clear();
        java.util.List<String> toOld = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            now = Math.max(now + 1, cm.nextTimeout());
            cm.onTimeout(now, out);
            out.sent.stream().filter(s -> s.to().equals(xOld.address()))
                    .forEach(s -> toOld.add(s.message().getClass().getSimpleName()));
            out.clear();
            if (cm.status(xSite) != MemberStatus.SUSPECT) {
                break;
            }
        }
        assertThat(toOld).as("messages C sent to X's old address %s while suspecting X at %s", xOld.address(),
                xNew.address()).isEmpty();
    }
}
