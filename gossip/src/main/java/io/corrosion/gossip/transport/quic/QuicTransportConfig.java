package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link QuicTransport} needs; immutable, validated here (ranges) and at
 * {@link QuicTransport#start} (security: TLS material or loopback-only insecure mode).
 *
 * @param bindAddress             where to listen; port 0 picks a free port
 * @param tls                     cluster CA, node certificate and key; {@code null} only with {@code insecure}
 * @param insecure                TLS with a throwaway self-signed certificate and no verification; loopback only
 * @param nodeName                names this node in logs and in the insecure mode's certificate
 * @param maxFrameSize            largest frame on a stream, either direction
 * @param maxDatagramSize         largest datagram, either direction (QUIC fits ~1300 bytes in a 1350-byte packet)
 * @param frameTimeout            a frame whose first byte arrived must complete within this (slow loris)
 * @param streamIdleTimeout       a stream on which nothing moves in either direction this long is cut
 * @param connectionIdleTimeout   a connection without traffic this long is closed (QUIC max_idle_timeout);
 *                                the next send reconnects
 * @param connectTimeout          how long a QUIC handshake may take
 * @param reconnectBackoff        after a failed connect, sends to that peer fail fast this long
 * @param unresponsiveTimeout     an outbound connection that sent packets but heard nothing back this long is
 *                                closed as dead (the peer crashed or restarted); the next send reconnects
 * @param maxInboundUniStreams    concurrent message streams a peer may have open towards us
 * @param maxInboundBidiStreams   concurrent exchanges a peer may have open towards us
 * @param maxPendingStreams       streams per peer that may wait for the peer's stream credit; more are refused
 * @param streamWindow            per-stream flow-control window, bytes
 * @param connectionWindow        per-connection flow-control window, bytes
 * @param ioThreads               event-loop threads (the listening socket and the dialling socket each use one)
 * @param closeTimeout            how long {@link QuicTransport#close} waits for connections and threads to end
 */
public record QuicTransportConfig(
        InetSocketAddress bindAddress,
        TlsMaterial tls,
        boolean insecure,
        String nodeName,
        int maxFrameSize,
        int maxDatagramSize,
        Duration frameTimeout,
        Duration streamIdleTimeout,
        Duration connectionIdleTimeout,
        Duration connectTimeout,
        Duration reconnectBackoff,
        Duration unresponsiveTimeout,
        int maxInboundUniStreams,
        int maxInboundBidiStreams,
        int maxPendingStreams,
        long streamWindow,
        long connectionWindow,
        int ioThreads,
        Duration closeTimeout) {

    /** The wire's length prefix is four bytes; frames stay well below 2 GiB. */
    public static final int LARGEST_FRAME_SIZE = 1 << 30;
    public static final int LARGEST_DATAGRAM_SIZE = 1300;

    public QuicTransportConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        nodeName = nodeName == null || nodeName.isBlank() ? "node@" + bindAddress : nodeName;
        requireRange("maxFrameSize", maxFrameSize, 1, LARGEST_FRAME_SIZE);
        requireRange("maxDatagramSize", maxDatagramSize, 1, LARGEST_DATAGRAM_SIZE);
        requirePositive("frameTimeout", frameTimeout);
        requirePositive("streamIdleTimeout", streamIdleTimeout);
        requirePositive("connectionIdleTimeout", connectionIdleTimeout);
        requirePositive("connectTimeout", connectTimeout);
        Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
        if (reconnectBackoff.isNegative()) {
            throw new IllegalArgumentException("reconnectBackoff must not be negative: " + reconnectBackoff);
        }
        requirePositive("unresponsiveTimeout", unresponsiveTimeout);
        requireRange("maxInboundUniStreams", maxInboundUniStreams, 1, 100_000);
        requireRange("maxInboundBidiStreams", maxInboundBidiStreams, 1, 100_000);
        requireRange("maxPendingStreams", maxPendingStreams, 0, 1_000_000);
        requireRange("streamWindow", streamWindow, 1024, 1L << 40);
        requireRange("connectionWindow", connectionWindow, streamWindow, 1L << 40);
        requireRange("ioThreads", ioThreads, 1, 64);
        requirePositive("closeTimeout", closeTimeout);
    }

    public static Builder builder(InetSocketAddress bindAddress) {
        return new Builder(bindAddress);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Defaults sized for a LAN cluster of a few hundred nodes. */
    public static final class Builder {
        private InetSocketAddress bindAddress;
        private TlsMaterial tls;
        private boolean insecure;
        private String nodeName;
        private int maxFrameSize = 8 << 20;
        private int maxDatagramSize = 1200;
        private Duration frameTimeout = Duration.ofSeconds(10);
        private Duration streamIdleTimeout = Duration.ofSeconds(30);
        private Duration connectionIdleTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration reconnectBackoff = Duration.ofSeconds(1);
        private Duration unresponsiveTimeout = Duration.ofSeconds(3);
        private int maxInboundUniStreams = 64;
        private int maxInboundBidiStreams = 16;
        private int maxPendingStreams = 1024;
        private long streamWindow = 1 << 20;
        private long connectionWindow = 16 << 20;
        private int ioThreads = 2;
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder(InetSocketAddress bindAddress) {
            this.bindAddress = bindAddress;
        }

        private Builder(QuicTransportConfig c) {
            bindAddress = c.bindAddress;
            tls = c.tls;
            insecure = c.insecure;
            nodeName = c.nodeName;
            maxFrameSize = c.maxFrameSize;
            maxDatagramSize = c.maxDatagramSize;
            frameTimeout = c.frameTimeout;
            streamIdleTimeout = c.streamIdleTimeout;
            connectionIdleTimeout = c.connectionIdleTimeout;
            connectTimeout = c.connectTimeout;
            reconnectBackoff = c.reconnectBackoff;
            unresponsiveTimeout = c.unresponsiveTimeout;
            maxInboundUniStreams = c.maxInboundUniStreams;
            maxInboundBidiStreams = c.maxInboundBidiStreams;
            maxPendingStreams = c.maxPendingStreams;
            streamWindow = c.streamWindow;
            connectionWindow = c.connectionWindow;
            ioThreads = c.ioThreads;
            closeTimeout = c.closeTimeout;
        }

        public Builder bindAddress(InetSocketAddress value) {
            bindAddress = value;
            return this;
        }

        public Builder tls(TlsMaterial value) {
            tls = value;
            return this;
        }

        public Builder insecure(boolean value) {
            insecure = value;
            return this;
        }

        public Builder nodeName(String value) {
            nodeName = value;
            return this;
        }

        public Builder maxFrameSize(int value) {
            maxFrameSize = value;
            return this;
        }

        public Builder maxDatagramSize(int value) {
            maxDatagramSize = value;
            return this;
        }

        public Builder frameTimeout(Duration value) {
            frameTimeout = value;
            return this;
        }

        public Builder streamIdleTimeout(Duration value) {
            streamIdleTimeout = value;
            return this;
        }

        public Builder connectionIdleTimeout(Duration value) {
            connectionIdleTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder reconnectBackoff(Duration value) {
            reconnectBackoff = value;
            return this;
        }

        public Builder unresponsiveTimeout(Duration value) {
            unresponsiveTimeout = value;
            return this;
        }

        public Builder maxInboundUniStreams(int value) {
            maxInboundUniStreams = value;
            return this;
        }

        public Builder maxInboundBidiStreams(int value) {
            maxInboundBidiStreams = value;
            return this;
        }

        public Builder maxPendingStreams(int value) {
            maxPendingStreams = value;
            return this;
        }

        public Builder streamWindow(long value) {
            streamWindow = value;
            return this;
        }

        public Builder connectionWindow(long value) {
            connectionWindow = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder closeTimeout(Duration value) {
            closeTimeout = value;
            return this;
        }

        public QuicTransportConfig build() {
            return new QuicTransportConfig(bindAddress, tls, insecure, nodeName, maxFrameSize, maxDatagramSize,
                    frameTimeout, streamIdleTimeout, connectionIdleTimeout, connectTimeout, reconnectBackoff,
                    unresponsiveTimeout, maxInboundUniStreams, maxInboundBidiStreams, maxPendingStreams,
                    streamWindow, connectionWindow, ioThreads, closeTimeout);
        }
    }
}
