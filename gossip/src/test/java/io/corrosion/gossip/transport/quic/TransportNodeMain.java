package io.corrosion.gossip.transport.quic;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.corrosion.gossip.tls.TlsMaterial;
import io.corrosion.gossip.transport.Exchange;
import io.corrosion.gossip.transport.ExchangeHandler;
import io.corrosion.gossip.transport.InboundHandler;
import io.corrosion.gossip.transport.PeerInfo;
import io.corrosion.gossip.transport.TransportException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node in its own JVM, driven by {@link MultiProcessTest} through arguments, stdin and stdout (protocol
 * lines start with {@code @@}).
 *
 * <pre>
 * java ... TransportNodeMain mesh|echo NAME PORT CERT_DIR [PEER_NAME:PORT,...]
 * </pre>
 * <ul>
 *   <li>{@code mesh}: sends every peer datagrams, a message and an exchange until each got through, and
 *       prints {@code @@ DONE} once it also received all three kinds from every peer;</li>
 *   <li>{@code echo}: prints {@code @@ GOT <text>} for each message.</li>
 * </ul>
 * Then it waits for {@code EXIT} on stdin, closes the transport, prints {@code @@ CLEAN} if no transport
 * thread is left, and returns from main: the JVM exits only if nothing else is left running either.
 */
public final class TransportNodeMain {

    private TransportNodeMain() {
    }

    private static void say(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String name = args[1];
        int port = Integer.parseInt(args[2]);
        Path certificates = Path.of(args[3]);
        Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (args.length > 4 && !args[4].isEmpty()) {
            for (String peer : args[4].split(",")) {
                String[] parts = peer.split(":");
                peers.put(parts[0], new InetSocketAddress(loopback, Integer.parseInt(parts[1])));
            }
        }
        QuicTransportConfig config = QuicTransportConfig.builder(new InetSocketAddress(loopback, port))
                .nodeName(name)
                .tls(TlsMaterial.fromPemFiles(certificates.resolve("ca.pem"), certificates.resolve(name + ".pem"),
                        certificates.resolve(name + ".key")))
                .ioThreads(1)
                .reconnectBackoff(Duration.ofMillis(100))
                .unresponsiveTimeout(Duration.ofSeconds(1))
                .build();
        Mesh mesh = new Mesh(name, peers.keySet());
        try (QuicTransport transport = new QuicTransport(config)) {
            transport.start(mesh);
            say("READY " + transport.localAddress().getPort());
            if (mode.equals("mesh")) {
                mesh.run(transport, peers);
                say("DONE");
            }
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, UTF_8));
            for (String line = stdin.readLine(); line != null && !line.equals("EXIT"); line = stdin.readLine()) {
                // Only EXIT means anything.
            }
            mesh.stop = true;
        }
        Set<String> left = QuicLifecycleTest.transportThreads();
        left.removeIf(thread -> !thread.startsWith(QuicTransport.THREAD_NAME_PREFIX));
        say(left.isEmpty() ? "CLEAN" : "LEAKED " + left);
    }

    /** Mesh mode: what this node received from whom, and the sending loop. */
    private static final class Mesh implements InboundHandler {
        private final String name;
        private final Set<String> peerNames;
        private final Set<String> datagramsFrom = ConcurrentHashMap.newKeySet();
        private final Set<String> messagesFrom = ConcurrentHashMap.newKeySet();
        private final Set<String> exchangesFrom = ConcurrentHashMap.newKeySet();
        volatile boolean stop;

        Mesh(String name, Set<String> peerNames) {
            this.name = name;
            this.peerNames = peerNames;
        }

        @Override
        public void onDatagram(PeerInfo from, byte[] datagram) {
            datagramsFrom.add(new String(datagram, UTF_8));
        }

        @Override
        public void onMessage(PeerInfo from, byte[] message) {
            String text = new String(message, UTF_8);
            messagesFrom.add(text);
            say("GOT " + text);
        }

        @Override
        public ExchangeHandler onExchange(Exchange exchange) {
            return new ExchangeHandler() {
                @Override
                public void onFrame(Exchange e, byte[] frame) {
                    exchangesFrom.add(new String(frame, UTF_8));
                    e.send(frame);
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

        void run(QuicTransport transport, Map<String, InetSocketAddress> peers) throws Exception {
            Map<String, CompletableFuture<Void>> messages = new ConcurrentHashMap<>();
            Map<String, CompletableFuture<Void>> exchanges = new ConcurrentHashMap<>();
            while (!stop) {
                for (Map.Entry<String, InetSocketAddress> peer : peers.entrySet()) {
                    InetSocketAddress address = peer.getValue();
                    transport.sendDatagram(address, name.getBytes(UTF_8));
                    messages.compute(peer.getKey(), (key, sent) -> sent == null || sent.isCompletedExceptionally()
                            ? transport.sendMessage(address, name.getBytes(UTF_8)).toCompletableFuture() : sent);
                    exchanges.compute(peer.getKey(), (key, done) -> done == null || done.isCompletedExceptionally()
                            ? exchange(transport, address) : done);
                }
                boolean sent = peers.keySet().stream().allMatch(peer -> isDone(messages.get(peer))
                        && isDone(exchanges.get(peer)));
                boolean received = datagramsFrom.containsAll(peerNames) && messagesFrom.containsAll(peerNames)
                        && exchangesFrom.containsAll(peerNames);
                if (sent && received) {
                    return;
                }
                Thread.sleep(100); // a send loop's pace, not synchronisation
            }
        }

        private static boolean isDone(CompletableFuture<Void> future) {
            return future != null && future.isDone() && !future.isCompletedExceptionally();
        }

        private CompletableFuture<Void> exchange(QuicTransport transport, InetSocketAddress address) {
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            transport.openExchange(address, new ExchangeHandler() {
                @Override
                public void onFrame(Exchange e, byte[] frame) {
                    if (!new String(frame, UTF_8).equals(name)) {
                        echoed.completeExceptionally(new IllegalStateException("wrong echo"));
                    }
                }

                @Override
                public void onFinished(Exchange e) {
                    echoed.complete(null);
                }

                @Override
                public void onAborted(Exchange e, TransportException cause) {
                    echoed.completeExceptionally(cause);
                }
            }).whenComplete((exchange, failure) -> {
                if (failure != null) {
                    echoed.completeExceptionally(failure);
                } else {
                    exchange.send(name.getBytes(UTF_8));
                    exchange.finish();
                }
            });
            return echoed;
        }
    }
}
