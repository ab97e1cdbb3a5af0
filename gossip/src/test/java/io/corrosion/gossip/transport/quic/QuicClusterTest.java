package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.TransportException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(NettyLeakRecorder.class)
class QuicClusterTest {

    @RegisterExtension
    final TestTransports transports = new TestTransports();

    private QuicTransport start(QuicTransportConfig config, Recorder recorder) {
        return transports.start(config, recorder);
    }

    @Test
    void fiveTransportsExchangeDatagramsMessagesAndExchangesInEveryDirection() throws Exception {
        int n = 5;
        List<Recorder> inboxes = new ArrayList<>();
        List<QuicTransport> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder inbox = new Recorder();
            inboxes.add(inbox);
            nodes.add(start(TestPki.config("node-" + i).build(), inbox));
        }

        List<CompletionStage<?>> sends = new ArrayList<>();
        List<Recorder.Collector> replies = new ArrayList<>();
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from == to) {
                    continue;
                }
                String tag = from + "->" + to;
                QuicTransport sender = nodes.get(from);
                sends.add(sender.sendMessage(nodes.get(to).localAddress(), ("message " + tag).getBytes(UTF_8)));
                Recorder.Collector collector = new Recorder.Collector();
                replies.add(collector);
                sends.add(sender.openExchange(nodes.get(to).localAddress(), collector).thenCompose(exchange -> {
                    exchange.send(("exchange " + tag + " a").getBytes(UTF_8));
                    exchange.send(("exchange " + tag + " b").getBytes(UTF_8));
                    return exchange.finish();
                }));
            }
        }
        CompletableFuture.allOf(sends.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        // Datagrams may be lost by contract: resend the missing ones until each pair got through once.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            boolean all = true;
            for (int from = 0; from < n; from++) {
                for (int to = 0; to < n; to++) {
                    String text = "datagram " + from + "->" + to;
                    if (from != to && inboxes.get(to).datagrams.stream().noneMatch(d -> d.text().equals(text))) {
                        all = false;
                        nodes.get(from).sendDatagram(nodes.get(to).localAddress(), text.getBytes(UTF_8));
                    }
                }
            }
            return all;
        });

        for (Recorder.Collector collector : replies) {
            collector.finished.get(10, TimeUnit.SECONDS);
            assertThat(collector.texts()).hasSize(2);
            assertThat(collector.texts().get(0)).endsWith(" a");
            assertThat(collector.texts().get(1)).endsWith(" b");
        }
        for (int to = 0; to < n; to++) {
            int receiver = to;
            List<String> expected = java.util.stream.IntStream.range(0, n).filter(from -> from != receiver)
                    .mapToObj(from -> "message " + from + "->" + receiver).toList();
            assertThat(inboxes.get(to).messages).extracting(Recorder.Received::text)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(inboxes.get(to).messages).extracting(r -> r.from().identity().subject())
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, n)
                            .filter(from -> from != receiver).mapToObj(from -> "CN=node-" + from + ",O=corrosion")
                            .toList());
            assertThat(inboxes.get(to).exchanges).hasSize(n - 1);
            // One connection per peer and direction, however many sends.
            assertThat(nodes.get(to).metrics().connectionsOpened()).isEqualTo(n - 1);
            assertThat(nodes.get(to).metrics().connectionsAccepted()).isEqualTo(n - 1);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void multiMegabyteFramesWaitForTheReceiverBeforeTheirSendCompletes() throws Exception {
        Recorder bobInbox = new Recorder();
        List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Exchange> bobsSide = new CompletableFuture<>();
        bobInbox.onExchange = exchange -> {
            exchange.pauseReading(); // Bob is busy: Alice must wait, not buffer without bound
            bobsSide.complete(exchange);
            return new ExchangeHandler() {
                @Override
                public void onFrame(Exchange e, byte[] frame) {
                    received.add(frame);
                }

                @Override
                public void onFinished(Exchange e) {
                    e.finish();
                }

                @Override
                public void onAborted(Exchange e, TransportException cause) {
                }
            };
        };
        QuicTransport alice = start(TestPki.config("alice").build(), new Recorder());
        QuicTransport bob = start(TestPki.config("bob").build(), bobInbox);
        Random random = new Random(42);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] frame = new byte[5 << 20];
            random.nextBytes(frame);
            frames.add(frame);
        }

        Recorder.Collector aliceSide = new Recorder.Collector();
        Exchange exchange = alice.openExchange(bob.localAddress(), aliceSide).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        CompletableFuture<Void> first = exchange.send(frames.get(0)).toCompletableFuture();
        bobsSide.get(5, TimeUnit.SECONDS);
        // The stream window is 1 MiB: a 5 MiB frame cannot be accepted while Bob does not read.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !first.isDone());

        bobsSide.join().resumeReading();
        first.get(10, TimeUnit.SECONDS);
        exchange.send(frames.get(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        exchange.send(frames.get(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        exchange.finish().toCompletableFuture().get(10, TimeUnit.SECONDS);

        aliceSide.finished.get(10, TimeUnit.SECONDS);
        assertThat(received).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(sha256(received.get(i))).isEqualTo(sha256(frames.get(i)));
        }
        assertThat(bob.metrics().bytesReceived()).isEqualTo(15L << 20);
    }

    @Test
    void multiMegabyteMessagesArriveWhole() throws Exception {
        // 12 MB through QUIC's user-space stack: on a starved machine (load 15 on 2 cores) a frame took longer than
        // the default slow-loris and liveness bounds, which are not what this test is about.
        Duration patient = Duration.ofSeconds(60);
        Recorder bobInbox = new Recorder();
        QuicTransport alice = start(TestPki.config("alice").frameTimeout(patient).unresponsiveTimeout(patient).build(),
                new Recorder());
        QuicTransport bob = start(TestPki.config("bob").frameTimeout(patient).unresponsiveTimeout(patient).build(),
                bobInbox);
        List<byte[]> messages = new ArrayList<>();
        Random random = new Random(7);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] message = new byte[(3 << 20) + i];
            random.nextBytes(message);
            messages.add(message);
            sends.add(alice.sendMessage(bob.localAddress(), message).toCompletableFuture());
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        await().atMost(patient).until(() -> bobInbox.messages.size() == 4);
        assertThat(bobInbox.messages.stream().map(m -> {
            try {
                return sha256(m.payload());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet())).isEqualTo(messages.stream().map(m -> {
            try {
                return sha256(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet()));
    }
}
