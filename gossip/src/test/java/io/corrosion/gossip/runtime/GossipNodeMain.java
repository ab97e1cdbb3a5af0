package io.corrosion.gossip.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.tls.TlsMaterial;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One gossip node in its own JVM, driven by {@link GossipMultiProcessTest} through arguments, stdin and stdout
 * (protocol lines start with {@code @@}). Its store is a {@link FileChangesetStore}, so a node killed with kill -9
 * and started again has what it had acknowledged.
 *
 * <pre>
 * java ... GossipNodeMain NAME PORT CERT_DIR STORE_FILE [SEED_PORT,...]
 * </pre>
 * Prints {@code @@ READY}, then every 200 ms {@code @@ STATUS alive=N head=H have=SITE:HEAD:COMPLETE,...}.
 * Commands: {@code WRITE count bytes pauseMillis} writes in the background, printing {@code @@ WROTE v} once
 * version v is on disk and handed to broadcast; {@code STOP} ends the writing and prints {@code @@ STOPPED head=H};
 * {@code EXIT} closes the node and prints {@code @@ CLEAN} if no
 * thread of it is left, then returns from main.
 */
public final class GossipNodeMain {

    private GossipNodeMain() {
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println("@@ " + line);
            System.out.flush();
        }
    }

    /** The site of a node name: the same after a restart. */
    static SiteId siteOf(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(UTF_8));
        return new SiteId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        Path certificates = Path.of(args[2]);
        Path storeFile = Path.of(args[3]);
        List<NodeAddress> seeds = new ArrayList<>();
        if (args.length > 4 && !args[4].isEmpty()) {
            for (String seed : args[4].split(",")) {
                seeds.add(new NodeAddress("127.0.0.1", Integer.parseInt(seed)));
            }
        }
        SiteId site = siteOf(name);
        FileChangesetStore store = new FileChangesetStore(site, storeFile);
        GossipNodeConfig config = GossipNodeConfig.builder(site, new InetSocketAddress(Pki.LOOPBACK, port))
                .nodeName(name)
                .tls(TlsMaterial.fromPemFiles(certificates.resolve("ca.pem"), certificates.resolve(name + ".pem"),
                        certificates.resolve(name + ".key")))
                .seeds(seeds)
                .gossip(TestNodes.FAST)
                .transportTuning(t -> t.ioThreads(1).reconnectBackoff(Duration.ofMillis(100))
                        .unresponsiveTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(2)))
                .build();
        GossipNode node = new GossipNode(config, store, GossipListener.NONE);
        node.start();
        say("READY " + node.address().port() + " head=" + store.memory().head(site));

        Thread status = new Thread(() -> reportStatus(node, store), "status");
        status.setDaemon(true);
        status.start();
        Thread writer = null;
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        for (String line = stdin.readLine(); line != null && !line.equals("EXIT"); line = stdin.readLine()) {
            String[] words = line.split(" ");
            if (words[0].equals("WRITE")) {
                int count = Integer.parseInt(words[1]);
                int bytes = Integer.parseInt(words[2]);
                long pause = Long.parseLong(words[3]);
                writer = new Thread(() -> write(node, store, count, bytes, pause), "writer");
                writer.setDaemon(true);
                writer.start();
            } else if (words[0].equals("STOP") && writer != null) {
                writer.interrupt();
                writer.join();
                say("STOPPED head=" + store.memory().head(site));
            }
        }
        if (writer != null) {
            writer.interrupt();
            writer.join();
        }
        status.interrupt();
        status.join();
        node.close();
        store.close();
        List<String> left = TestNodes.nodeThreads().stream()
                .filter(t -> t.startsWith(GossipNode.THREAD_NAME_PREFIX) || t.startsWith("corrosion-quic")).toList();
        say(left.isEmpty() ? "CLEAN" : "LEAKED " + left);
    }

    private static void write(GossipNode node, FileChangesetStore store, int count, int bytes, long pause) {
        Random random = new Random();
        try {
            for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
                byte[] payload = new byte[bytes];
                random.nextBytes(payload);
                long version = 0;
                for (Changeset.Full chunk : store.commitLocal(payload, bytes)) {
                    node.broadcast(chunk);
                    version = chunk.version();
                }
                say("WROTE " + version);
                if (pause > 0) {
                    Thread.sleep(pause); // the write load's pace, not synchronisation
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reportStatus(GossipNode node, FileChangesetStore store) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long alive = node.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
                Map<SiteId, Long> heads = new TreeMap<>();
                store.syncState().sites().forEach((site, versions) -> heads.put(site, versions.head()));
                String have = heads.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + ":"
                        + store.memory().hasAllUpTo(e.getKey(), e.getValue())).collect(Collectors.joining(","));
                say("STATUS alive=" + alive + " head=" + store.memory().head(node.siteId()) + " have=" + have);
                Thread.sleep(200); // a report's pace, not synchronisation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
