package io.corrosion.gossip.runtime;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.tls.TlsMaterial;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.quic.QuicTransportConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything a {@link GossipNode} needs, validated at construction: who the node is, where it listens, whom it
 * joins through, how it proves itself (TLS material, or the insecure mode on loopback only), the protocol
 * settings, and the runtime's own bounds.
 *
 * @param siteId                   the node's site id (the driver's {@code crsql_site_id()})
 * @param nodeName                 names the node in logs and thread names
 * @param bindAddress              where to listen; port 0 picks a free port (then advertised as bound)
 * @param advertiseAddress         where peers reach us; {@code null}: the bound address (required when binding the
 *                                 wildcard address)
 * @param seeds                    addresses to join through; empty for the first node (our own address is ignored)
 * @param tls                      cluster CA, node certificate and key; {@code null} only with
 *                                 {@code insecureLoopback}
 * @param insecureLoopback         TLS without peer verification, for development on loopback only
 * @param gossip                   the protocol settings
 * @param broadcastHandoffCapacity local changesets waiting for the protocol thread; when full,
 *                                 {@link GossipNode#broadcast} drops the new one (sync delivers it later)
 * @param inboundMaxFrames         received frames waiting for the protocol thread; beyond it they are dropped
 * @param inboundMaxBytes          bytes of received frames waiting for the protocol thread; beyond it they are dropped
 * @param eventQueueCapacity       events waiting for the listener; beyond it they are dropped and counted
 * @param handoverTimeout          how long {@link GossipNode#close} waits, before its goodbye, for a live peer to
 *                                 answer that it holds every version of this node's site this node holds (the
 *                                 versions it lacks are sent meanwhile); zero skips the handover
 * @param leaveTimeout             how long {@link GossipNode#close} waits for the goodbye to be sent
 * @param storeShutdownTimeout     how long {@link GossipNode#close} waits for a running store task to finish
 * @param transportTuning          adjusts the QUIC settings derived from the above (timeouts, windows, threads)
 * @param transportDecorator       wraps the QUIC transport the node creates (tests: cut traffic to simulate a
 *                                 partition); identity by default
 */
public record GossipNodeConfig(
        SiteId siteId,
        String nodeName,
        InetSocketAddress bindAddress,
        NodeAddress advertiseAddress,
        List<NodeAddress> seeds,
        TlsMaterial tls,
        boolean insecureLoopback,
        GossipConfig gossip,
        int broadcastHandoffCapacity,
        int inboundMaxFrames,
        long inboundMaxBytes,
        int eventQueueCapacity,
        Duration handoverTimeout,
        Duration leaveTimeout,
        Duration storeShutdownTimeout,
        UnaryOperator<QuicTransportConfig.Builder> transportTuning,
        UnaryOperator<Transport> transportDecorator) {

    public GossipNodeConfig {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(handoverTimeout, "handoverTimeout");
        Objects.requireNonNull(leaveTimeout, "leaveTimeout");
        Objects.requireNonNull(storeShutdownTimeout, "storeShutdownTimeout");
        seeds = List.copyOf(seeds);
        nodeName = nodeName == null || nodeName.isBlank() ? siteId.shortString() : nodeName;
        transportTuning = transportTuning == null ? UnaryOperator.identity() : transportTuning;
        transportDecorator = transportDecorator == null ? UnaryOperator.identity() : transportDecorator;
        if (bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bind address " + bindAddress + " does not resolve");
        }
        boolean loopback = bindAddress.getAddress().isLoopbackAddress();
        if (insecureLoopback && tls != null) {
            throw new IllegalArgumentException("give TLS material or the insecure loopback mode, not both");
        }
        if (insecureLoopback && !loopback) {
            throw new IllegalArgumentException("the insecure mode is for loopback only; " + bindAddress
                    + " needs TLS material (tls.ca, tls.cert, tls.key)");
        }
        if (tls == null && !insecureLoopback) {
            throw new IllegalArgumentException("binding " + bindAddress + " needs TLS material (tls.ca, tls.cert, "
                    + "tls.key)" + (loopback ? ", or the insecure mode (tls.insecure=true) on loopback" : ""));
        }
        if (bindAddress.getAddress().isAnyLocalAddress() && advertiseAddress == null) {
            throw new IllegalArgumentException("binding the wildcard address " + bindAddress
                    + " needs an advertise address: peers cannot dial the wildcard");
        }
        if (gossip.maxDatagramBytes() > QuicTransportConfig.LARGEST_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("maxDatagramBytes " + gossip.maxDatagramBytes()
                    + " exceeds what a QUIC datagram carries (" + QuicTransportConfig.LARGEST_DATAGRAM_SIZE + ")");
        }
        positive("broadcastHandoffCapacity", broadcastHandoffCapacity);
        positive("inboundMaxFrames", inboundMaxFrames);
        positive("inboundMaxBytes", inboundMaxBytes);
        positive("eventQueueCapacity", eventQueueCapacity);
        if (inboundMaxBytes < gossip.maxFrameBytes()) {
            throw new IllegalArgumentException("inboundMaxBytes must hold at least one frame of "
                    + gossip.maxFrameBytes() + " bytes");
        }
        if (handoverTimeout.isNegative() || leaveTimeout.isNegative() || storeShutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    /** A builder for a node listening on {@code bindAddress}, with defaults for everything else. */
    public static Builder builder(SiteId siteId, InetSocketAddress bindAddress) {
        return new Builder(siteId, bindAddress);
    }

    /** The transport settings: the bind address, TLS, frame and datagram limits from here, then the tuning. */
    public QuicTransportConfig transportConfig() {
        QuicTransportConfig.Builder builder = QuicTransportConfig.builder(bindAddress)
                .nodeName(nodeName)
                .tls(tls)
                .insecure(insecureLoopback)
                .maxFrameSize(gossip.maxFrameBytes())
                .maxDatagramSize(gossip.maxDatagramBytes());
        QuicTransportConfig config = transportTuning.apply(builder).build();
        if (config.maxFrameSize() < gossip.maxFrameBytes() || config.maxDatagramSize() < gossip.maxDatagramBytes()) {
            throw new IllegalArgumentException("the transport's frame or datagram limit is below the protocol's");
        }
        return config;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final SiteId siteId;
        private final InetSocketAddress bindAddress;
        private String nodeName;
        private NodeAddress advertiseAddress;
        private List<NodeAddress> seeds = List.of();
        private TlsMaterial tls;
        private boolean insecureLoopback;
        private GossipConfig gossip = GossipConfig.defaults();
        private int broadcastHandoffCapacity = 8192;
        private int inboundMaxFrames = 16384;
        private long inboundMaxBytes = 64L << 20;
        private int eventQueueCapacity = 65536;
        /** A healthy peer answers within a round trip and an apply batch; 5 s also covers a backlog of seconds. */
        private Duration handoverTimeout = Duration.ofSeconds(5);
        private Duration leaveTimeout = Duration.ofSeconds(1);
        private Duration storeShutdownTimeout = Duration.ofSeconds(10);
        private UnaryOperator<QuicTransportConfig.Builder> transportTuning = UnaryOperator.identity();
        private UnaryOperator<Transport> transportDecorator = UnaryOperator.identity();

        private Builder(SiteId siteId, InetSocketAddress bindAddress) {
            this.siteId = siteId;
            this.bindAddress = bindAddress;
        }

        public Builder nodeName(String value) {
            nodeName = value;
            return this;
        }

        public Builder advertiseAddress(NodeAddress value) {
            advertiseAddress = value;
            return this;
        }

        public Builder seeds(List<NodeAddress> value) {
            seeds = value;
            return this;
        }

        public Builder tls(TlsMaterial value) {
            tls = value;
            return this;
        }

        public Builder insecureLoopback(boolean value) {
            insecureLoopback = value;
            return this;
        }

        public Builder gossip(GossipConfig value) {
            gossip = value;
            return this;
        }

        public Builder broadcastHandoffCapacity(int value) {
            broadcastHandoffCapacity = value;
            return this;
        }

        public Builder inboundMaxFrames(int value) {
            inboundMaxFrames = value;
            return this;
        }

        public Builder inboundMaxBytes(long value) {
            inboundMaxBytes = value;
            return this;
        }

        public Builder eventQueueCapacity(int value) {
            eventQueueCapacity = value;
            return this;
        }

        public Builder handoverTimeout(Duration value) {
            handoverTimeout = value;
            return this;
        }

        public Builder leaveTimeout(Duration value) {
            leaveTimeout = value;
            return this;
        }

        public Builder storeShutdownTimeout(Duration value) {
            storeShutdownTimeout = value;
            return this;
        }

        public Builder transportTuning(UnaryOperator<QuicTransportConfig.Builder> value) {
            transportTuning = value;
            return this;
        }

        public Builder transportDecorator(UnaryOperator<Transport> value) {
            transportDecorator = value;
            return this;
        }

        public GossipNodeConfig build() {
            GossipNodeConfig config = new GossipNodeConfig(siteId, nodeName, bindAddress, advertiseAddress, seeds,
                    tls, insecureLoopback, gossip, broadcastHandoffCapacity, inboundMaxFrames, inboundMaxBytes,
                    eventQueueCapacity, handoverTimeout, leaveTimeout, storeShutdownTimeout, transportTuning, transportDecorator);
            config.transportConfig(); // validates the tuning's ranges now, not at start
            return config;
        }
    }
}
