package io.corrosion.gossip.sim;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.ChangesetId;
import io.corrosion.gossip.ChangesetSource;
import io.corrosion.gossip.GossipEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tracks, per written changeset, when and how (broadcast hops or sync) each node first stored it. */
public final class Coverage implements SimObserver {

    /** One node's first receipt of a changeset. */
    public record Receipt(long at, ChangesetSource source, int hops) {
    }

    /** A written changeset and its receipts. */
    public static final class Spread {
        final long writtenAt;
        final int origin;
        final Map<Integer, Receipt> receipts = new HashMap<>();

        Spread(long writtenAt, int origin) {
            this.writtenAt = writtenAt;
            this.origin = origin;
        }

        public long writtenAt() {
            return writtenAt;
        }

        public Map<Integer, Receipt> receipts() {
            return receipts;
        }

        /** Nodes (besides the origin) that got it by broadcast. */
        public long byBroadcast() {
            return receipts.values().stream().filter(r -> r.source == ChangesetSource.BROADCAST).count();
        }

        /** Rounds for broadcast to reach every node that got it by broadcast (highest hop count). */
        public int rounds() {
            return receipts.values().stream().filter(r -> r.source == ChangesetSource.BROADCAST)
                    .mapToInt(Receipt::hops).max().orElse(0);
        }

        /** Time from the write until the last of {@code nodes - 1} receivers had it, or -1 if not all did. */
        public long fullCoverageMillis(int nodes) {
            if (receipts.size() < nodes - 1) {
                return -1;
            }
            return receipts.values().stream().mapToLong(Receipt::at).max().orElse(writtenAt) - writtenAt;
        }
    }

    private final Map<ChangesetId, Spread> spreads = new LinkedHashMap<>();

    /** Records a write: call with the chunks {@link Simulation#write} returned. */
    public void written(SimNode origin, List<Changeset.Full> chunks, long now) {
        for (Changeset.Full chunk : chunks) {
            spreads.put(chunk.id(), new Spread(now, origin.index));
        }
    }

    @Override
    public void onEvent(SimNode node, GossipEvent event, long now) {
        if (event instanceof GossipEvent.ChangesetApplied applied) {
            Spread s = spreads.get(applied.changeset().id());
            if (s != null && node.index != s.origin) {
                s.receipts.putIfAbsent(node.index, new Receipt(now, applied.source(), applied.hops()));
            }
        }
    }

    public List<Spread> spreads() {
        return new ArrayList<>(spreads.values());
    }
}
