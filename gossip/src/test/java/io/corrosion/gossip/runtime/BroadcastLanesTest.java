package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.Transport;
import io.corrosion.gossip.transport.TransportException;
import io.corrosion.gossip.transport.TransportMetrics;
import io.corrosion.gossip.wire.BroadcastBatch;
import io.corrosion.gossip.wire.BroadcastMessage;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.GossipMessage;
import io.corrosion.gossip.wire.WireCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class BroadcastLanesTest {

    private static final SiteId ORIGIN = new SiteId(1, 1);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 7400);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 7401);

    private record Sent(InetSocketAddress to, GossipMessage message, CompletableFuture<Void> done) {
    }

    private final WireCodec codec = new WireCodec(1 << 20);
    private final List<Sent> sent = new ArrayList<>();
    private final NodeCounters counters = new NodeCounters();
    private final BroadcastLanes lanes = new BroadcastLanes(new MessageRecorder(), codec, new DriverCallbacks() {
        @Override
        public void onProtocolThread(String what, Runnable step) {
            step.run();
        }

        @Override
        public void sendFailed(String what, Throwable cause) {
            counters.sendFailures.increment();
        }
    }, counters);

    /** Records each message sent; the test completes its stage when it wants the "network" to take it. */
    private final class MessageRecorder implements Transport {
        @Override
        public CompletionStage<Void> sendMessage(InetSocketAddress to, byte[] message) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                sent.add(new Sent(to, codec.decode(message), done));
            } catch (DecodeException e) {
                throw new AssertionError(e);
            }
            return done;
        }

        @Override
        public void start(InboundHandler handler) {
        }

        @Override
        public InetSocketAddress localAddress() {
            return PEER;
        }

        @Override
        public int maxDatagramSize() {
            return 1200;
        }

        @Override
        public int maxFrameSize() {
            return 1 << 20;
        }

        @Override
        public CompletionStage<Void> sendDatagram(InetSocketAddress to, byte[] datagram) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Exchange> openExchange(InetSocketAddress to, ExchangeHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disconnect(InetSocketAddress peer) {
        }

        @Override
        public TransportMetrics metrics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static BroadcastMessage broadcast(long version) {
        return new BroadcastMessage(ORIGIN, 0, Changeset.Full.complete(ORIGIN, version, 0, 0, new byte[100]));
    }

    private static List<Long> versions(GossipMessage message) {
        List<BroadcastMessage> messages = message instanceof BroadcastBatch batch ? batch.messages()
                : List.of((BroadcastMessage) message);
        return messages.stream().map(m -> ((Changeset.Full) m.changeset()).version()).toList();
    }

    @Test
    void underLightLoadEachBroadcastLeavesAtOnceOnItsOwn() {
        for (long v = 1; v <= 20; v++) {
            lanes.send(PEER, broadcast(v));
            sent.get(sent.size() - 1).done().complete(null);
        }

        assertThat(sent).hasSize(20).allSatisfy(s -> assertThat(s.message()).isInstanceOf(BroadcastMessage.class));
        assertThat(lanes.waiting()).isZero();
        assertThat(counters.broadcastBatches.sum()).isZero();
    }

    @Test
    void theBroadcastsOfOneProtocolStepLeaveAsOneBatchPerPeer() {
        for (long v = 1; v <= 3; v++) {
            lanes.queue(PEER, broadcast(v));
            lanes.queue(OTHER, broadcast(v));
        }
        assertThat(sent).isEmpty();

        lanes.sendQueued();

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).message()).isInstanceOf(BroadcastBatch.class);
        assertThat(sent).extracting(Sent::to).containsExactlyInAnyOrder(PEER, OTHER);
        assertThat(sent).allSatisfy(s -> assertThat(versions(s.message())).containsExactly(1L, 2L, 3L));
        assertThat(lanes.waiting()).isZero();

        lanes.queue(PEER, broadcast(4)); // behind the batch in flight: it waits for it, as a send would
        lanes.sendQueued();
        assertThat(sent).hasSize(2);
        sent.stream().filter(s -> s.to().equals(PEER)).findFirst().orElseThrow().done().complete(null);
        assertThat(versions(sent.get(2).message())).containsExactly(4L);
    }

    @Test
    void whenStreamsToAPeerAreBusyTheRestLeaveTogetherInOrder() {
        for (long v = 1; v <= 30; v++) {
            lanes.send(PEER, broadcast(v));
        }
        lanes.send(OTHER, broadcast(99));

        assertThat(sent).hasSize(BroadcastLanes.MAX_IN_FLIGHT + 1);
        assertThat(lanes.waiting()).isEqualTo(30 - BroadcastLanes.MAX_IN_FLIGHT);

        sent.get(0).done().completeExceptionally(new TransportException(TransportException.Reason.CONNECTION_LOST,
                "gone"));

        Sent batch = sent.get(sent.size() - 1);
        assertThat(batch.to()).isEqualTo(PEER);
        assertThat(batch.message()).isInstanceOf(BroadcastBatch.class);
        List<Long> all = new ArrayList<>();
        sent.stream().filter(s -> s.to().equals(PEER)).forEach(s -> all.addAll(versions(s.message())));
        assertThat(all).as("every broadcast once, in order").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(lanes.waiting()).isZero();
        assertThat(counters.broadcastBatches.sum()).isEqualTo(1);
        assertThat(counters.sendFailures.sum()).isEqualTo(1);
    }

    /** A leaving node waits for this: done only when every broadcast queued before it left or failed. */
    @Test
    void drainedCompletesWhenEveryQueuedBroadcastHasLeft() {
        assertThat(lanes.drained()).as("nothing queued").isDone();
        for (long v = 1; v <= 5; v++) {
            lanes.send(PEER, broadcast(v));
        }
        lanes.send(OTHER, broadcast(99));
        CompletableFuture<Void> drained = lanes.drained();
        assertThat(drained).isNotDone();

        sent.get(0).done().complete(null); // PEER's first; the other four now leave as a batch
        sent.get(1).done().complete(null); // OTHER's
        assertThat(drained).as("PEER's batch is still in flight").isNotDone();
        lanes.send(OTHER, broadcast(100)); // queued after drained() was asked: not waited for
        sent.get(2).done().completeExceptionally(new TransportException(TransportException.Reason.CONNECTION_LOST,
                "gone"));
        assertThat(versions(sent.get(2).message())).containsExactly(2L, 3L, 4L, 5L);
        assertThat(drained).as("a failed send counts as gone").isDone();
    }
}
