package io.corrosion.jdbc.replication;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportMetrics;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A network partition for nodes in one JVM: every node's transport is wrapped ({@link #decorator()}); while two
 * groups of listen ports are {@linkplain #cut cut}, nothing a node sends reaches the other group (sends fail as if
 * the peer were unreachable). Both directions are cut because both sides' sends are. A test may also
 * {@linkplain #watch watch} the messages that go through.
 */
final class Partition {
    /** Sees a message a node sends on a stream: the sender's listen port, the peer, the frame. */
    @FunctionalInterface
    interface Watcher {
        void sent(int fromPort, InetSocketAddress to, byte[] message);
    }

    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private volatile Watcher watcher;

    /** Sees every message sent from now on ({@code null}: none). */
    void watch(Watcher w) {
        watcher = w;
    }

    UnaryOperator<Transport> decorator() {
        return Cuttable::new;
    }

    void cut(Set<Integer> group, Set<Integer> others) {
        for (int a : group) {
            for (int b : others) {
                blocked.add(a + ">" + b);
                blocked.add(b + ">" + a);
            }
        }
    }

    void heal() {
        blocked.clear();
    }

    private final class Cuttable implements Transport {
        private final Transport inner;

        Cuttable(Transport inner) {
            this.inner = inner;
        }

        private boolean cut(InetSocketAddress to) {
            return blocked.contains(inner.localAddress().getPort() + ">" + to.getPort());
        }

        private <T> CompletionStage<T> unreachable(InetSocketAddress to) {
            return CompletableFuture.failedFuture(new TransportException(TransportException.Reason.CONNECT_FAILED,
                    "partitioned from " + to));
        }

        @Override
        public void start(InboundHandler handler) {
            inner.start(handler);
        }

        @Override
        public InetSocketAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public int maxDatagramSize() {
            return inner.maxDatagramSize();
        }

        @Override
        public int maxFrameSize() {
            return inner.maxFrameSize();
        }

        @Override
        public CompletionStage<Void> sendDatagram(InetSocketAddress to, byte[] datagram) {
            return cut(to) ? unreachable(to) : inner.sendDatagram(to, datagram);
        }

        @Override
        public CompletionStage<Void> sendMessage(InetSocketAddress to, byte[] message) {
            Watcher w = watcher;
            if (w != null && !cut(to)) {
                w.sent(inner.localAddress().getPort(), to, message);
            }
            return cut(to) ? unreachable(to) : inner.sendMessage(to, message);
        }

        @Override
        public CompletionStage<Exchange> openExchange(InetSocketAddress to, ExchangeHandler handler) {
            return cut(to) ? unreachable(to) : inner.openExchange(to, handler);
        }

        @Override
        public void disconnect(InetSocketAddress peer) {
            inner.disconnect(peer);
        }

        @Override
        public TransportMetrics metrics() {
            return inner.metrics();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
