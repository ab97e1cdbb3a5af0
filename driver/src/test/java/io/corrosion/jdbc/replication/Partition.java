package io.corrosion.jdbc.replication;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
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
 * the peer were unreachable). Both directions are cut because both sides' sends are. Exchanges (sync sessions) open
 * across the cut when it comes are cut too, as a real partition cuts their streams: from {@link #cut} on, no frame
 * of theirs is delivered either way, and they are aborted on both sides. (They once went on: a sync session open
 * at the cut carried writes made on one side after it to the other.) A test may also {@linkplain #watch watch} the
 * messages that go through.
 */
final class Partition {
    /** Sees a message a node sends on a stream: the sender's listen port, the peer, the frame. */
    @FunctionalInterface
    interface Watcher {
        void sent(int fromPort, InetSocketAddress to, byte[] message);
    }

    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    /** The exchanges nodes opened (their peers' ends are not wrapped: these see both directions). */
    private final Set<CuttableExchange> exchanges = ConcurrentHashMap.newKeySet();
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
        for (CuttableExchange e : exchanges) {
            e.abortIfCut();
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
            if (cut(to)) {
                return unreachable(to);
            }
            exchanges.removeIf(CuttableExchange::ended);
            CuttableExchange wrapped = new CuttableExchange(inner.localAddress().getPort() + ">" + to.getPort(),
                    handler);
            exchanges.add(wrapped);
            return inner.openExchange(to, wrapped).thenApply(wrapped::opened)
                    .whenComplete((opened, failure) -> {
                        if (failure != null) {
                            exchanges.remove(wrapped);
                        }
                    });
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

    /**
     * An exchange a node opened, and its handler: while its two ends are cut, its frames are neither sent nor
     * delivered, and it is aborted (a frame in flight at the cut is dropped on arrival).
     */
    private final class CuttableExchange implements Exchange, ExchangeHandler {
        /** The blocked-set key of the direction it was opened in (the other is blocked with it). */
        private final String link;
        private final ExchangeHandler handler;
        private volatile Exchange inner;

        CuttableExchange(String link, ExchangeHandler handler) {
            this.link = link;
            this.handler = handler;
        }

        Exchange opened(Exchange exchange) {
            inner = exchange;
            abortIfCut(); // cut while it opened
            return this;
        }

        private boolean isCut() {
            return blocked.contains(link);
        }

        void abortIfCut() {
            Exchange e = inner;
            if (e != null && isCut()) {
                e.abort("partitioned");
            }
        }

        boolean ended() {
            Exchange e = inner;
            return e != null && !e.isOpen();
        }

        // ---- Exchange

        @Override
        public PeerInfo peer() {
            return inner.peer();
        }

        @Override
        public boolean initiatedLocally() {
            return true;
        }

        @Override
        public CompletionStage<Void> send(byte[] frame) {
            if (isCut()) {
                inner.abort("partitioned");
                return CompletableFuture.failedFuture(new TransportException(TransportException.Reason.CONNECTION_LOST,
                        "partitioned: " + link));
            }
            return inner.send(frame);
        }

        @Override
        public CompletionStage<Void> finish() {
            return inner.finish();
        }

        @Override
        public void abort(String reason) {
            inner.abort(reason);
        }

        @Override
        public void pauseReading() {
            inner.pauseReading();
        }

        @Override
        public void resumeReading() {
            inner.resumeReading();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        // ---- ExchangeHandler (transport threads)

        @Override
        public void onFrame(Exchange exchange, byte[] frame) {
            if (isCut()) {
                exchange.abort("partitioned");
                return;
            }
            handler.onFrame(this, frame);
        }

        @Override
        public void onFinished(Exchange exchange) {
            handler.onFinished(this);
        }

        @Override
        public void onAborted(Exchange exchange, TransportException cause) {
            exchanges.remove(this);
            handler.onAborted(this, cause);
        }
    }
}
