package io.corrosion.gossip.transport.quic;

import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback figures for the QUIC transport with mutual TLS: handshake time, round trips (datagram, exchange
 * frame, message) and one-way throughput. A measurement, not a test: numbers on a shared 2-core machine are
 * noisy. Run it:
 *
 * <pre>
 * mvn -q -pl gossip test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp gossip/target/test-classes:gossip/target/classes:$(cat gossip/target/cp.txt) \
 *     io.corrosion.gossip.transport.quic.TransportBenchmark
 * </pre>
 */
public final class TransportBenchmark {

    private static final int ROUND_TRIPS = 20_000;

    private TransportBenchmark() {
    }

    /** Echoes datagrams to the port in their first four bytes; counts what arrives one way. */
    private static final class Server implements InboundHandler {
        volatile QuicTransport transport;
        final AtomicLong oneWayBytes = new AtomicLong();
        final AtomicLong oneWayFrames = new AtomicLong();

        @Override
        public void onDatagram(PeerInfo from, byte[] datagram) {
            int port = ByteBuffer.wrap(datagram).getInt();
            transport.sendDatagram(new InetSocketAddress(TestPki.LOOPBACK, port), datagram);
        }

        @Override
        public void onMessage(PeerInfo from, byte[] message) {
            if (message.length > 4 && message[4] == 'r') {
                transport.sendMessage(new InetSocketAddress(TestPki.LOOPBACK, ByteBuffer.wrap(message).getInt()),
                        message);
            } else {
                oneWayBytes.addAndGet(message.length);
                oneWayFrames.incrementAndGet();
            }
        }

        @Override
        public ExchangeHandler onExchange(Exchange exchange) {
            return new ExchangeHandler() {
                @Override
                public void onFrame(Exchange e, byte[] frame) {
                    if (frame[0] == 'e') {
                        e.send(frame);
                    } else {
                        oneWayBytes.addAndGet(frame.length);
                        oneWayFrames.incrementAndGet();
                    }
                }

                @Override
                public void onFinished(Exchange e) {
                    e.finish();
                }

                @Override
                public void onAborted(Exchange e, TransportException cause) {
                }
            };
        }
    }

    /** Hands every reply to the measuring thread. */
    private static final class Client implements InboundHandler {
        final BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(1024);

        @Override
        public void onDatagram(PeerInfo from, byte[] datagram) {
            replies.offer(datagram);
        }

        @Override
        public void onMessage(PeerInfo from, byte[] message) {
            replies.offer(message);
        }

        @Override
        public ExchangeHandler onExchange(Exchange exchange) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        Server serverHandler = new Server();
        Client clientHandler = new Client();
        long startNanos = System.nanoTime();
        try (QuicTransport server = new QuicTransport(TestPki.config("bench-server").ioThreads(1).build());
             QuicTransport client = new QuicTransport(TestPki.config("bench-client").ioThreads(1).build())) {
            serverHandler.transport = server;
            server.start(serverHandler);
            client.start(clientHandler);
            System.out.printf("two transports started in %.0f ms%n", (System.nanoTime() - startNanos) / 1e6);
            InetSocketAddress to = server.localAddress();
            handshakes(client, to);
            datagramRoundTrips(client, to, clientHandler);
            exchangeRoundTrips(client, to);
            messageRoundTrips(client, to, clientHandler);
            for (int size : new int[] {1024, 64 * 1024}) {
                oneWayMessages(client, to, serverHandler, size);
                oneWayExchangeFrames(client, to, serverHandler, size);
            }
        }
    }

    private static void handshakes(QuicTransport client, InetSocketAddress to) throws Exception {
        long cold = timeSend(client, to);
        long[] warm = new long[30];
        for (int i = 0; i < warm.length; i++) {
            client.disconnect(to);
            warm[i] = timeSend(client, to);
        }
        System.out.printf("handshake (dial + mutual TLS + confirmation, first send): first %.1f ms, then p50 %.2f ms,"
                + " p99 %.2f ms over %d redials%n", cold / 1e6, percentile(warm, 50) / 1e6, percentile(warm, 99) / 1e6,
                warm.length);
    }

    private static long timeSend(QuicTransport client, InetSocketAddress to) throws Exception {
        long started = System.nanoTime();
        client.sendDatagram(to, new byte[] {0, 0, 0, 0, 'h'}).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return System.nanoTime() - started;
    }

    private static void datagramRoundTrips(QuicTransport client, InetSocketAddress to, Client handler)
            throws Exception {
        byte[] ping = ByteBuffer.allocate(64).putInt(client.localAddress().getPort()).array();
        long[] rtt = new long[ROUND_TRIPS];
        int lost = 0;
        for (int i = -2000; i < ROUND_TRIPS; i++) {
            long started = System.nanoTime();
            client.sendDatagram(to, ping);
            byte[] reply = handler.replies.poll(1, TimeUnit.SECONDS);
            if (reply == null) {
                lost++;
                continue;
            }
            if (i >= 0) {
                rtt[i] = System.nanoTime() - started;
            }
        }
        report("datagram round trip (64 B)", rtt, lost);
    }

    private static void exchangeRoundTrips(QuicTransport client, InetSocketAddress to) throws Exception {
        BlockingQueue<byte[]> echoes = new ArrayBlockingQueue<>(16);
        Exchange exchange = client.openExchange(to, new ExchangeHandler() {
            @Override
            public void onFrame(Exchange e, byte[] frame) {
                echoes.offer(frame);
            }

            @Override
            public void onFinished(Exchange e) {
            }

            @Override
            public void onAborted(Exchange e, TransportException cause) {
                System.out.println("aborted: " + cause);
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS);
        byte[] frame = new byte[64];
        frame[0] = 'e';
        long[] rtt = new long[ROUND_TRIPS];
        for (int i = -2000; i < ROUND_TRIPS; i++) {
            long started = System.nanoTime();
            exchange.send(frame);
            echoes.take();
            if (i >= 0) {
                rtt[i] = System.nanoTime() - started;
            }
        }
        exchange.finish();
        report("exchange frame round trip (64 B, one open stream)", rtt, 0);
    }

    private static void messageRoundTrips(QuicTransport client, InetSocketAddress to, Client handler)
            throws Exception {
        byte[] message = ByteBuffer.allocate(64).putInt(client.localAddress().getPort()).put((byte) 'r').array();
        long[] rtt = new long[ROUND_TRIPS / 4];
        for (int i = -1000; i < rtt.length; i++) {
            long started = System.nanoTime();
            client.sendMessage(to, message);
            handler.replies.take();
            if (i >= 0) {
                rtt[i] = System.nanoTime() - started;
            }
        }
        report("message round trip (64 B, a new stream each way)", rtt, 0);
    }

    private static void oneWayMessages(QuicTransport client, InetSocketAddress to, Server server, int size)
            throws Exception {
        byte[] message = new byte[size];
        long total = Math.max(2000, (256L << 20) / size);
        Semaphore window = new Semaphore(64);
        long before = server.oneWayBytes.get();
        long framesBefore = server.oneWayFrames.get();
        long started = System.nanoTime();
        for (long i = 0; i < total; i++) {
            window.acquire();
            client.sendMessage(to, message).whenComplete((ok, failure) -> window.release());
        }
        while (server.oneWayFrames.get() - framesBefore < total) {
            Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("one-way messages of %,d B: %,.0f msg/s, %,.1f MiB/s (%,d messages, 64 in flight)%n",
                size, total / seconds, (server.oneWayBytes.get() - before) / seconds / (1 << 20), total);
    }

    private static void oneWayExchangeFrames(QuicTransport client, InetSocketAddress to, Server server, int size)
            throws Exception {
        byte[] frame = new byte[size];
        long total = Math.max(2000, (512L << 20) / size);
        Exchange exchange = client.openExchange(to, new Recorder.Collector()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        Semaphore window = new Semaphore(64);
        long framesBefore = server.oneWayFrames.get();
        long before = server.oneWayBytes.get();
        long started = System.nanoTime();
        CompletableFuture<Void> last = null;
        for (long i = 0; i < total; i++) {
            window.acquire();
            last = exchange.send(frame).toCompletableFuture();
            last.whenComplete((ok, failure) -> window.release());
        }
        while (server.oneWayFrames.get() - framesBefore < total) {
            Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        exchange.finish();
        System.out.printf("one-way exchange frames of %,d B: %,.0f frames/s, %,.1f MiB/s (%,d frames on one stream)%n",
                size, total / seconds, (server.oneWayBytes.get() - before) / seconds / (1 << 20), total);
    }

    private static void report(String what, long[] nanos, int lost) {
        System.out.printf("%s: p50 %.0f us, p99 %.0f us, p99.9 %.0f us (%,d samples%s)%n", what,
                percentile(nanos, 50) / 1e3, percentile(nanos, 99) / 1e3, percentile(nanos, 99.9) / 1e3, nanos.length,
                lost > 0 ? ", " + lost + " lost" : "");
    }

    private static double percentile(long[] values, double percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)];
    }
}
