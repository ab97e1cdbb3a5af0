package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An inbound handler for tests: records what arrives, and answers exchanges as told (by default it echoes
 * every frame and finishes after the peer did).
 */
final class Recorder implements InboundHandler {

    record Received(PeerInfo from, byte[] payload) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Received> datagrams = new CopyOnWriteArrayList<>();
    final List<Received> messages = new CopyOnWriteArrayList<>();
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    volatile BiConsumer<PeerInfo, byte[]> onDatagram = (from, datagram) -> { };
    volatile BiConsumer<PeerInfo, byte[]> onMessage = (from, message) -> { };
    volatile Function<Exchange, ExchangeHandler> onExchange = exchange -> new Echo();

    @Override
    public void onDatagram(PeerInfo from, byte[] datagram) {
        datagrams.add(new Received(from, datagram));
        onDatagram.accept(from, datagram);
    }

    @Override
    public void onMessage(PeerInfo from, byte[] message) {
        messages.add(new Received(from, message));
        onMessage.accept(from, message);
    }

    @Override
    public ExchangeHandler onExchange(Exchange exchange) {
        exchanges.add(exchange);
        return onExchange.apply(exchange);
    }

    /** Echoes every frame at once, finishes when the peer finished. */
    static class Echo implements ExchangeHandler {
        final CompletableFuture<TransportException> aborted = new CompletableFuture<>();

        @Override
        public void onFrame(Exchange exchange, byte[] frame) {
            exchange.send(frame);
        }

        @Override
        public void onFinished(Exchange exchange) {
            exchange.finish();
        }

        @Override
        public void onAborted(Exchange exchange, TransportException cause) {
            aborted.complete(cause);
        }
    }

    /** Collects an exchange's frames; {@link #finished} and {@link #aborted} complete on those events. */
    static final class Collector implements ExchangeHandler {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        final CompletableFuture<TransportException> aborted = new CompletableFuture<>();

        @Override
        public void onFrame(Exchange exchange, byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void onFinished(Exchange exchange) {
            finished.complete(null);
        }

        @Override
        public void onAborted(Exchange exchange, TransportException cause) {
            aborted.complete(cause);
        }

        List<String> texts() {
            return frames.stream().map(f -> new String(f, java.nio.charset.StandardCharsets.UTF_8)).toList();
        }
    }
}
