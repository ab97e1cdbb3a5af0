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
 * Accusations above MAX_ACCUSED from the wire are ignored (the accused could not outbid them), but ALIVE news has no
 * such bound: one member gossiping "X alive at MAX_INCARNATION" (hostile or corrupt) made X immune to failure
 * detection, as our own failed probes were ignored too. Our own probes count now.
 */
class MaxIncarnationDetectionTest {

    private final GossipConfig config = GossipConfig.defaults();
    private final SiteId xSite = new SiteId(0, 1);
    private final Member c = new Member(new SiteId(0, 3), new NodeAddress("10.0.0.3", 7400), 1_000);
    private final Member d = new Member(new SiteId(0, 4), new NodeAddress("10.0.0.4", 7400), 1_000);

    private MemberStatus statusOfSilentX(long incarnation) {
        Member x = new Member(xSite, new NodeAddress("10.0.0.1", 7400), 1_000);
        Recorder out = new Recorder();
        Membership cm = new Membership(config, c, List.of(), new SplittableRandom(7));
        long now = 1_000;
        cm.start(now, out);
        cm.onMessage(new PushPull(d, true, List.of(new MemberUpdate(MemberStatus.ALIVE, d, d.siteId()),
                new MemberUpdate(MemberStatus.ALIVE, x, xSite))), now, out);
        cm.onMessage(new Gossip(d, List.of(new MemberUpdate(MemberStatus.ALIVE, x.withIncarnation(incarnation),
                d.siteId()))), now, out);
        // X has crashed: nothing from it again. Two minutes of fake time.
        long end = now + 120_000;
        while (now < end) {
            now = Math.max(now + 1, cm.nextTimeout());
            cm.onTimeout(now, out);
            out.clear();
        }
        return cm.status(xSite);
    }

    @Test
    void aSilentMemberAtAnOrdinaryIncarnationIsDeclaredDead() {
        assertThat(statusOfSilentX(2_000)).isEqualTo(MemberStatus.DEAD);
    }

    @Test
    void aSilentMemberAtTheMaxIncarnationIsDeclaredDead() {
        assertThat(statusOfSilentX(Member.MAX_INCARNATION))
                .as("status of a crashed member after 2 min of failed probes, once someone gossiped it alive at"
                        + " MAX_INCARNATION (> MAX_ACCUSED: even our own failed probes are ignored)")
                .isEqualTo(MemberStatus.DEAD);
    }
}
