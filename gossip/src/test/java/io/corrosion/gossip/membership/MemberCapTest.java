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
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node keeps at most {@code maxMembers} members, however many a hostile member makes up. */
class MemberCapTest {

    private static final int CAP = 10;

    private final GossipConfig config = GossipConfig.builder().maxMembers(CAP).build();
    private final Recorder out = new Recorder();
    private final Member me = member(0, 1);
    private Membership membership;
    private long now = 1_000;

    @BeforeEach
    void setUp() {
        membership = new Membership(config, me, List.of(), new SplittableRandom(3));
        membership.start(now, out);
    }

    private static Member member(int i, long incarnation) {
        return new Member(new SiteId(0, i), new NodeAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 7400),
                incarnation);
    }

    private static List<MemberUpdate> alive(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new MemberUpdate(MemberStatus.ALIVE, member(i, 1),
                member(i, 1).siteId())).toList();
    }

    /** Members 1 .. CAP - 1: with us, the list is full. */
    private void fill() {
        membership.onMessage(new PushPull(member(1, 1), true, alive(1, CAP)), now, out);
        assertThat(membership.members()).hasSize(CAP - 1);
    }

    @Test
    void onePushPullOfMadeUpMembersAddsNoMoreThanTheCap() {
        membership.onMessage(new PushPull(member(1, 1), true, alive(1, 5_001)), now, out);
        assertThat(membership.members()).hasSize(CAP - 1);
        assertThat(membership.stats().membersRefused()).isEqualTo(5_000 - (CAP - 1));
    }

    @Test
    void gossipFromEverNewSendersCannotGrowTheListPastTheCap() {
        for (int i = 1; i < 500; i += 5) {
            membership.onMessage(new Gossip(member(i, 1), alive(i + 1, i + 5)), now++, out);
        }
        assertThat(membership.members()).hasSize(CAP - 1);
        assertThat(membership.livePeers()).hasSize(CAP - 1);
    }

    @Test
    void updatesAboutKnownMembersStillApplyAtTheCap() {
        fill();
        membership.onMessage(new Gossip(member(1, 1), List.of(
                new MemberUpdate(MemberStatus.SUSPECT, member(2, 1), member(1, 1).siteId()),
                new MemberUpdate(MemberStatus.DEAD, member(3, 1), member(1, 1).siteId()),
                new MemberUpdate(MemberStatus.ALIVE, member(4, 7), member(4, 1).siteId()))), now, out);
        assertThat(membership.status(member(2, 1).siteId())).isEqualTo(MemberStatus.SUSPECT);
        assertThat(membership.status(member(3, 1).siteId())).isEqualTo(MemberStatus.DEAD);
        assertThat(membership.members()).filteredOn(v -> v.member().siteId().equals(member(4, 1).siteId()))
                .extracting(v -> v.member().incarnation()).containsExactly(7L);
        assertThat(membership.stats().membersRefused()).isZero();
    }

    @Test
    void atTheCapANewMemberTakesThePlaceOfTheMemberDownTheLongest() {
        fill();
        membership.onMessage(new Gossip(member(1, 1), List.of(new MemberUpdate(MemberStatus.DEAD, member(3, 1),
                member(1, 1).siteId()))), now, out);
        now += 1_000;
        membership.onMessage(new Gossip(member(1, 1), List.of(new MemberUpdate(MemberStatus.LEFT, member(5, 1),
                member(5, 1).siteId()))), now, out);
        now += 1_000;
        membership.onMessage(new Gossip(member(1, 1), alive(CAP, CAP + 3)), now, out);
        assertThat(membership.members()).hasSize(CAP - 1);
        assertThat(membership.status(member(3, 1).siteId())).isNull();
        assertThat(membership.status(member(5, 1).siteId())).isNull();
        assertThat(membership.status(member(CAP, 1).siteId())).isEqualTo(MemberStatus.ALIVE);
        assertThat(membership.status(member(CAP + 1, 1).siteId())).isEqualTo(MemberStatus.ALIVE);
        // No one left down: the third newcomer is refused rather than a live member forgotten.
        assertThat(membership.status(member(CAP + 2, 1).siteId())).isNull();
        assertThat(membership.stats().membersRefused()).isEqualTo(1);
    }

    @Test
    void theMemberDownTheLongestGoesFirst() {
        fill();
        membership.onMessage(new Gossip(member(1, 1), List.of(new MemberUpdate(MemberStatus.LEFT, member(5, 1),
                member(5, 1).siteId()))), now, out);
        now += 1_000;
        membership.onMessage(new Gossip(member(1, 1), List.of(new MemberUpdate(MemberStatus.DEAD, member(3, 1),
                member(1, 1).siteId()))), now, out);
        membership.onMessage(new Gossip(member(1, 1), alive(CAP, CAP + 1)), now, out);
        assertThat(membership.status(member(5, 1).siteId())).isNull();
        assertThat(membership.status(member(3, 1).siteId())).isEqualTo(MemberStatus.DEAD);
    }
}
