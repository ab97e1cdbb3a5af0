package io.corrosion.gossip;

import java.time.Duration;
import java.util.Objects;

/**
 * Every gossip setting, immutable and validated at construction. Defaults follow memberlist's LAN profile for
 * SWIM and Corrosion for broadcast and sync. Durations are converted to the cores' millisecond clock once.
 */
public record GossipConfig(
        Duration probeInterval,
        Duration probeTimeout,
        int indirectProbes,
        int suspicionMultiplier,
        int suspicionMaxMultiplier,
        int awarenessMax,
        int retransmitMultiplier,
        Duration gossipInterval,
        int gossipNodes,
        Duration pushPullInterval,
        Duration reconnectInterval,
        Duration deadRetention,
        int maxMembers,
        Duration joinRetryInitial,
        Duration joinRetryMax,
        int maxPendingUpdates,
        int fanout,
        int broadcastTransmissions,
        Duration broadcastRetransmitDelay,
        int maxHops,
        int broadcastQueueMax,
        int seenCacheSize,
        int applyQueueMaxItems,
        long applyQueueMaxBytes,
        int applyBatchMaxItems,
        long applyBatchMaxBytes,
        Duration applyLinger,
        Duration syncInterval,
        Duration syncSessionTimeout,
        int syncBatchBytes,
        long syncMaxBytesPerSession,
        int maxInboundSyncs,
        int maxInboundSyncsPerPeer,
        int maxFrameBytes,
        int maxDatagramBytes) {

    public GossipConfig {
        positive("probeInterval", probeInterval);
        positive("probeTimeout", probeTimeout);
        positive("indirectProbes", indirectProbes);
        positive("suspicionMultiplier", suspicionMultiplier);
        positive("suspicionMaxMultiplier", suspicionMaxMultiplier);
        positive("awarenessMax", awarenessMax);
        positive("retransmitMultiplier", retransmitMultiplier);
        positive("gossipInterval", gossipInterval);
        positive("gossipNodes", gossipNodes);
        positive("pushPullInterval", pushPullInterval);
        positive("reconnectInterval", reconnectInterval);
        positive("deadRetention", deadRetention);
        if (maxMembers < 2) {
            throw new IllegalArgumentException("maxMembers must be >= 2 (the node and one other), got " + maxMembers);
        }
        positive("joinRetryInitial", joinRetryInitial);
        positive("joinRetryMax", joinRetryMax);
        positive("maxPendingUpdates", maxPendingUpdates);
        positive("fanout", fanout);
        positive("broadcastTransmissions", broadcastTransmissions);
        positive("broadcastRetransmitDelay", broadcastRetransmitDelay);
        positive("maxHops", maxHops);
        positive("broadcastQueueMax", broadcastQueueMax);
        positive("seenCacheSize", seenCacheSize);
        positive("applyQueueMaxItems", applyQueueMaxItems);
        positive("applyQueueMaxBytes", applyQueueMaxBytes);
        positive("applyBatchMaxItems", applyBatchMaxItems);
        positive("applyBatchMaxBytes", applyBatchMaxBytes);
        Objects.requireNonNull(applyLinger, "applyLinger");
        if (applyLinger.isNegative()) {
            throw new IllegalArgumentException("applyLinger must not be negative, got " + applyLinger);
        }
        positive("syncInterval", syncInterval);
        positive("syncSessionTimeout", syncSessionTimeout);
        positive("syncBatchBytes", syncBatchBytes);
        positive("syncMaxBytesPerSession", syncMaxBytesPerSession);
        positive("maxInboundSyncs", maxInboundSyncs);
        if (maxInboundSyncsPerPeer < 1 || maxInboundSyncsPerPeer > maxInboundSyncs) {
            throw new IllegalArgumentException("maxInboundSyncsPerPeer must be in 1..maxInboundSyncs, got "
                    + maxInboundSyncsPerPeer);
        }
        positive("maxFrameBytes", maxFrameBytes);
        positive("maxDatagramBytes", maxDatagramBytes);
        if (probeTimeout.compareTo(probeInterval) >= 0) {
            throw new IllegalArgumentException("probeTimeout must be shorter than probeInterval");
        }
        if (suspicionMultiplier < 2) {
            throw new IllegalArgumentException("suspicionMultiplier must be >= 2");
        }
        if (joinRetryMax.compareTo(joinRetryInitial) < 0) {
            throw new IllegalArgumentException("joinRetryMax must be >= joinRetryInitial");
        }
        if (maxDatagramBytes < 512 || maxDatagramBytes > maxFrameBytes) {
            throw new IllegalArgumentException("maxDatagramBytes must be in 512..maxFrameBytes");
        }
        if (syncBatchBytes > maxFrameBytes / 2) {
            throw new IllegalArgumentException("syncBatchBytes must be at most half of maxFrameBytes");
        }
        if (applyBatchMaxBytes > applyQueueMaxBytes || applyBatchMaxItems > applyQueueMaxItems) {
            throw new IllegalArgumentException("an apply batch must fit the apply queue");
        }
    }

    public static GossipConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.probeInterval = probeInterval;
        b.probeTimeout = probeTimeout;
        b.indirectProbes = indirectProbes;
        b.suspicionMultiplier = suspicionMultiplier;
        b.suspicionMaxMultiplier = suspicionMaxMultiplier;
        b.awarenessMax = awarenessMax;
        b.retransmitMultiplier = retransmitMultiplier;
        b.gossipInterval = gossipInterval;
        b.gossipNodes = gossipNodes;
        b.pushPullInterval = pushPullInterval;
        b.reconnectInterval = reconnectInterval;
        b.deadRetention = deadRetention;
        b.maxMembers = maxMembers;
        b.joinRetryInitial = joinRetryInitial;
        b.joinRetryMax = joinRetryMax;
        b.maxPendingUpdates = maxPendingUpdates;
        b.fanout = fanout;
        b.broadcastTransmissions = broadcastTransmissions;
        b.broadcastRetransmitDelay = broadcastRetransmitDelay;
        b.maxHops = maxHops;
        b.broadcastQueueMax = broadcastQueueMax;
        b.seenCacheSize = seenCacheSize;
        b.applyQueueMaxItems = applyQueueMaxItems;
        b.applyQueueMaxBytes = applyQueueMaxBytes;
        b.applyBatchMaxItems = applyBatchMaxItems;
        b.applyLinger = applyLinger;
        b.applyBatchMaxBytes = applyBatchMaxBytes;
        b.syncInterval = syncInterval;
        b.syncSessionTimeout = syncSessionTimeout;
        b.syncBatchBytes = syncBatchBytes;
        b.syncMaxBytesPerSession = syncMaxBytesPerSession;
        b.maxInboundSyncs = maxInboundSyncs;
        b.maxInboundSyncsPerPeer = maxInboundSyncsPerPeer;
        b.maxFrameBytes = maxFrameBytes;
        b.maxDatagramBytes = maxDatagramBytes;
        return b;
    }

    /** Memberlist's minimum suspicion timeout for a cluster of {@code n} members. */
    public long suspicionMinMillis(int n) {
        double scale = Math.max(1.0, Math.log10(Math.max(1, n)));
        return (long) (suspicionMultiplier * scale * probeInterval.toMillis());
    }

    public long suspicionMaxMillis(int n) {
        return suspicionMaxMultiplier * suspicionMinMillis(n);
    }

    /** Times a membership update is piggybacked in a cluster of {@code n} members. */
    public int retransmitLimit(int n) {
        return retransmitMultiplier * (int) Math.ceil(Math.log10(n + 1.0));
    }

    /**
     * The failure detection bound the simulation holds us to: a few probe rounds until some member probes the dead
     * node (probe interval stretched by full awareness as the worst case), the unconfirmed suspicion timeout, and
     * time for the death to be gossiped (ten gossip rounds).
     */
    public long detectionBoundMillis(int n) {
        return 4 * probeInterval.toMillis() + suspicionMaxMillis(n) + 10 * gossipInterval.toMillis();
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {

        private Duration probeInterval = Duration.ofSeconds(1);
        private Duration probeTimeout = Duration.ofMillis(500);
        private int indirectProbes = 3;
        private int suspicionMultiplier = 4;
        private int suspicionMaxMultiplier = 6;
        private int awarenessMax = 8;
        private int retransmitMultiplier = 4;
        private Duration gossipInterval = Duration.ofMillis(200);
        private int gossipNodes = 3;
        private Duration pushPullInterval = Duration.ofSeconds(30);
        private Duration reconnectInterval = Duration.ofSeconds(10);
        private Duration deadRetention = Duration.ofMinutes(5);
        private int maxMembers = 10_000;
        private Duration joinRetryInitial = Duration.ofSeconds(1);
        private Duration joinRetryMax = Duration.ofSeconds(30);
        private int maxPendingUpdates = 4096;
        private int fanout = 8;
        private int broadcastTransmissions = 2;
        private Duration broadcastRetransmitDelay = Duration.ofMillis(100);
        private int maxHops = 16;
        private int broadcastQueueMax = 4096;
        private int seenCacheSize = 65536;
        private int applyQueueMaxItems = 100_000;
        private long applyQueueMaxBytes = 64L << 20;
        private int applyBatchMaxItems = 512;
        private long applyBatchMaxBytes = 4L << 20;
        private Duration applyLinger = Duration.ZERO;
        private Duration syncInterval = Duration.ofSeconds(3);
        private Duration syncSessionTimeout = Duration.ofSeconds(30);
        private int syncBatchBytes = 64 << 10;
        private long syncMaxBytesPerSession = 16L << 20;
        private int maxInboundSyncs = 3;
        private int maxInboundSyncsPerPeer = 1;
        private int maxFrameBytes = 4 << 20;
        private int maxDatagramBytes = 1200;

        private Builder() {
        }

        /** How often a node probes one member (stretched by the awareness score). Default Seconds(1). */
        public Builder probeInterval(Duration value) {
            this.probeInterval = value;
            return this;
        }

        /** How long a direct probe waits for its ack before asking k members (stretched by awareness). Default Millis(500). */
        public Builder probeTimeout(Duration value) {
            this.probeTimeout = value;
            return this;
        }

        /** k: members asked to probe a target that did not answer. Default 3. */
        public Builder indirectProbes(int value) {
            this.indirectProbes = value;
            return this;
        }

        /** Minimum suspicion timeout = multiplier x log10(n) x probe interval; also sets the confirmations (multiplier - 2) that shrink a suspicion to that minimum; a cluster too small to give them starts at the minimum. Default 4. */
        public Builder suspicionMultiplier(int value) {
            this.suspicionMultiplier = value;
            return this;
        }

        /** Maximum suspicion timeout (no confirmation) = this x the minimum. Default 6. */
        public Builder suspicionMaxMultiplier(int value) {
            this.suspicionMaxMultiplier = value;
            return this;
        }

        /** Lifeguard: highest local health score; timeouts stretch by (score + 1). Default 8. */
        public Builder awarenessMax(int value) {
            this.awarenessMax = value;
            return this;
        }

        /** A membership update is piggybacked multiplier x ceil(log10(n + 1)) times. Default 4. */
        public Builder retransmitMultiplier(int value) {
            this.retransmitMultiplier = value;
            return this;
        }

        /** How often pending membership updates are pushed to gossipNodes members. Default Millis(200). */
        public Builder gossipInterval(Duration value) {
            this.gossipInterval = value;
            return this;
        }

        /** Members a gossip round sends to. Default 3. */
        public Builder gossipNodes(int value) {
            this.gossipNodes = value;
            return this;
        }

        /** How often a node exchanges its full member list with a random member. Default Seconds(30). */
        public Builder pushPullInterval(Duration value) {
            this.pushPullInterval = value;
            return this;
        }

        /** How often a node contacts one dead member, to heal partitions. Default Seconds(10). */
        public Builder reconnectInterval(Duration value) {
            this.reconnectInterval = value;
            return this;
        }

        /** How long a dead member is remembered (its incarnation guards against stale news). Default Minutes(5). */
        public Builder deadRetention(Duration value) {
            this.deadRetention = value;
            return this;
        }

        /**
         * Most members a node keeps, itself included. At the cap a new member takes the place of the one down the
         * longest; with none down, new members are refused (counted, logged now and then), so a hostile member
         * cannot grow the list without bound. Updates about known members always apply. Default 10_000.
         */
        public Builder maxMembers(int value) {
            this.maxMembers = value;
            return this;
        }

        /** First delay before contacting the seeds again while not joined. Default Seconds(1). */
        public Builder joinRetryInitial(Duration value) {
            this.joinRetryInitial = value;
            return this;
        }

        /** Longest delay between join attempts (the delay doubles up to this). Default Seconds(30). */
        public Builder joinRetryMax(Duration value) {
            this.joinRetryMax = value;
            return this;
        }

        /** Bound of the membership piggyback queue. Default 4096. */
        public Builder maxPendingUpdates(int value) {
            this.maxPendingUpdates = value;
            return this;
        }

        /** Members each broadcast transmission goes to. Default 8. */
        public Builder fanout(int value) {
            this.fanout = value;
            return this;
        }

        /** Rounds a node sends each new changeset in, each to fanout members not sent to before. Default 2. */
        public Builder broadcastTransmissions(int value) {
            this.broadcastTransmissions = value;
            return this;
        }

        /** Delay between transmission rounds (grows linearly with the round). Default Millis(100). */
        public Builder broadcastRetransmitDelay(Duration value) {
            this.broadcastRetransmitDelay = value;
            return this;
        }

        /** A broadcast is not forwarded past this many hops from its origin. Default 16. */
        public Builder maxHops(int value) {
            this.maxHops = value;
            return this;
        }

        /** Bound of changesets waiting for further transmission rounds; beyond it the most-sent is dropped. Default 4096. */
        public Builder broadcastQueueMax(int value) {
            this.broadcastQueueMax = value;
            return this;
        }

        /** Bound of the broadcast dedupe set (changeset ids); the store dedupes beyond it. Default 65536. */
        public Builder seenCacheSize(int value) {
            this.seenCacheSize = value;
            return this;
        }

        /** Bound of received changesets waiting for the store; beyond it the oldest is dropped and sync refetches it. Default 100_000 (small changesets: the byte bound holds memory). */
        public Builder applyQueueMaxItems(int value) {
            this.applyQueueMaxItems = value;
            return this;
        }

        /** Bound of payload bytes waiting for the store. Default 64L &lt;&lt; 20. */
        public Builder applyQueueMaxBytes(long value) {
            this.applyQueueMaxBytes = value;
            return this;
        }

        /** Most changesets in one store apply call. Default 512. */
        public Builder applyBatchMaxItems(int value) {
            this.applyBatchMaxItems = value;
            return this;
        }

        /** Most payload bytes in one store apply call. Default 4L &lt;&lt; 20. */
        public Builder applyBatchMaxBytes(long value) {
            this.applyBatchMaxBytes = value;
            return this;
        }

        /**
         * Under a steady stream of changesets (the previous apply batch began less than this long ago), the next batch
         * waits until this long has passed since then, so one store transaction takes several changesets instead of
         * one each; none waits longer than this, and a changeset after a quiet spell is applied at once. Default ZERO
         * (no waiting).
         */
        public Builder applyLinger(Duration value) {
            this.applyLinger = value;
            return this;
        }

        /** How often a node starts an anti-entropy sync with a random member. Default Seconds(3). */
        public Builder syncInterval(Duration value) {
            this.syncInterval = value;
            return this;
        }

        /** A sync session with no progress for this long is abandoned. Default Seconds(30). */
        public Builder syncSessionTimeout(Duration value) {
            this.syncSessionTimeout = value;
            return this;
        }

        /** Payload bytes per sync message (one store read). Default 64 &lt;&lt; 10. */
        public Builder syncBatchBytes(int value) {
            this.syncBatchBytes = value;
            return this;
        }

        /** Most payload bytes a node serves in one session; the rest waits for the next. Default 16L &lt;&lt; 20. */
        public Builder syncMaxBytesPerSession(long value) {
            this.syncMaxBytesPerSession = value;
            return this;
        }

        /** Sync sessions a node serves at once; more are refused as busy. Default 3. */
        public Builder maxInboundSyncs(int value) {
            this.maxInboundSyncs = value;
            return this;
        }

        /**
         * Sync sessions one peer (its connection's address) may hold of those; its newest replaces its oldest, as an
         * honest peer runs one session at a time, so one peer cannot take every slot. Default 1.
         */
        public Builder maxInboundSyncsPerPeer(int value) {
            this.maxInboundSyncsPerPeer = value;
            return this;
        }

        /** Largest encoded message; larger frames are rejected. Default 4 &lt;&lt; 20. */
        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        /** Largest datagram message (probes and their piggybacked updates). Default 1200. */
        public Builder maxDatagramBytes(int value) {
            this.maxDatagramBytes = value;
            return this;
        }

        public GossipConfig build() {
            return new GossipConfig(probeInterval, probeTimeout, indirectProbes, suspicionMultiplier, suspicionMaxMultiplier, awarenessMax, retransmitMultiplier, gossipInterval, gossipNodes, pushPullInterval, reconnectInterval, deadRetention, maxMembers, joinRetryInitial, joinRetryMax, maxPendingUpdates, fanout, broadcastTransmissions, broadcastRetransmitDelay, maxHops, broadcastQueueMax, seenCacheSize, applyQueueMaxItems, applyQueueMaxBytes, applyBatchMaxItems, applyBatchMaxBytes, applyLinger, syncInterval, syncSessionTimeout, syncBatchBytes, syncMaxBytesPerSession, maxInboundSyncs, maxInboundSyncsPerPeer, maxFrameBytes, maxDatagramBytes);
        }
    }
}
