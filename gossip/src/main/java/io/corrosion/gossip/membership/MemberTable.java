package io.corrosion.gossip.membership;

import io.corrosion.gossip.Member;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.wire.MemberUpdate;
import io.corrosion.gossip.wire.WireCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members a node knows besides itself, by site, with the live ones cached in site order, and at most
 * {@code maxMembers} of them (the node included).
 *
 * <p>At the cap a new member takes the place of the member down the longest: a dead or departed member is kept only
 * to tell it so and to try reconnecting, which matters less than a live newcomer, and a cluster replacing nodes near
 * the cap must not lock new ones out for the whole dead retention. With no member down, new ones are refused:
 * otherwise a hostile member could push out live members with made-up ones. Refusals are counted and logged at most
 * once a minute. Owned by {@link Membership}, which calls {@link #changed()} whenever a status changes.
 */
final class MemberTable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberTable.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final int maxMembers;
    private final Map<SiteId, MemberState> members = new HashMap<>();
    private List<Member> live;
    private long refused;
    private long refusedSinceLog;
    private long nextLogAt = Long.MIN_VALUE;

    MemberTable(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    MemberState get(SiteId site) {
        return members.get(site);
    }

    boolean contains(SiteId site) {
        return members.containsKey(site);
    }

    int size() {
        return members.size();
    }

    Collection<MemberState> all() {
        return members.values();
    }

    /** The members not down, in site order. */
    List<Member> live() {
        if (live == null) {
            List<Member> list = new ArrayList<>();
            for (MemberState s : members.values()) {
                if (!s.status.isDown()) {
                    list.add(s.member);
                }
            }
            list.sort((a, b) -> a.siteId().compareTo(b.siteId()));
            live = Collections.unmodifiableList(list);
        }
        return live;
    }

    /** Every member as a view, by site id. */
    List<MemberView> views() {
        List<MemberView> out = new ArrayList<>(members.size());
        for (MemberState s : members.values()) {
            out.add(new MemberView(s.member, s.status, s.statusSince));
        }
        out.sort((a, b) -> a.member().siteId().compareTo(b.member().siteId()));
        return out;
    }

    /** The members of that status, by site id. */
    List<Member> withStatus(MemberStatus status) {
        List<Member> out = new ArrayList<>();
        for (MemberView v : views()) {
            if (v.status() == status) {
                out.add(v.member());
            }
        }
        return out;
    }

    /**
     * {@code first}, then every member as an update from {@code first}'s sender, by site id, as many as fit
     * {@code budget} bytes on the wire.
     */
    List<MemberUpdate> asUpdates(MemberUpdate first, int budget) {
        List<MemberUpdate> all = new ArrayList<>(members.size() + 1);
        all.add(first);
        for (MemberView v : views()) {
            MemberUpdate u = new MemberUpdate(v.status(), v.member(), first.from());
            budget -= WireCodec.updateSize(u);
            if (budget < 0) {
                break;
            }
            all.add(u);
        }
        return all;
    }

    /** A status changed, or a member came or went: the live list is out of date. */
    void changed() {
        live = null;
    }

    /**
     * Adds a member we did not know, if there is room: under the cap, or in the place of the member down the
     * longest, whose site is then returned through {@code forgotten}. False if refused.
     */
    boolean add(MemberState newcomer, Member self, long now, Consumer<SiteId> forgotten) {
        if (members.size() + 1 >= maxMembers) {
            // Every member up (the cached live list says so at no cost): refuse, however many more come.
            MemberState down = live().size() == members.size() ? null : longestDown();
            if (down == null) {
                refuse(self, newcomer.member, now);
                return false;
            }
            members.remove(down.member.siteId());
            forgotten.accept(down.member.siteId());
        }
        members.put(newcomer.member.siteId(), newcomer);
        changed();
        return true;
    }

    /** Forgets the members down for at least {@code retentionMillis}; true if there were any. */
    boolean reap(long now, long retentionMillis) {
        boolean removed = members.values().removeIf(s -> s.status.isDown() && now - s.statusSince >= retentionMillis);
        if (removed) {
            changed();
        }
        return removed;
    }

    long refused() {
        return refused;
    }

    private MemberState longestDown() {
        MemberState oldest = null;
        for (MemberState s : members.values()) {
            if (s.status.isDown() && (oldest == null || s.statusSince < oldest.statusSince)) {
                oldest = s;
            }
        }
        return oldest;
    }

    private void refuse(Member self, Member newcomer, long now) {
        refused++;
        refusedSinceLog++;
        if (now >= nextLogAt) {
            LOG.warn("{} keeps at most {} members (maxMembers), all up: refused {} new ones, the last {}", self,
                    maxMembers, refusedSinceLog, newcomer);
            refusedSinceLog = 0;
            nextLogAt = now + LOG_EVERY_MILLIS;
        }
    }
}
