package io.corrosion.gossip.runtime;

import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.GossipConfig;
import io.corrosion.gossip.LongRange;
import io.corrosion.gossip.MemberStatus;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts gossip nodes on loopback for one test and closes them after it, newest first. */
final class TestNodes implements AfterEachCallback {

    /** Protocol timings for tests: a probe every 500 ms, sync every ~0.5 s, joins retried within 2 s. */
    static final GossipConfig FAST = GossipConfig.builder()
            .probeInterval(Duration.ofMillis(500))
            .probeTimeout(Duration.ofMillis(200))
            .gossipInterval(Duration.ofMillis(100))
            .pushPullInterval(Duration.ofSeconds(5))
            .reconnectInterval(Duration.ofSeconds(1))
            .joinRetryInitial(Duration.ofMillis(200))
            .joinRetryMax(Duration.ofSeconds(2))
            .broadcastRetransmitDelay(Duration.ofMillis(50))
            .syncInterval(Duration.ofMillis(500))
            .syncSessionTimeout(Duration.ofSeconds(10))
            .build();

    private final Deque<GossipNode> nodes = new ArrayDeque<>();
    private final Random random = new Random();

    /** A node named {@code name} on loopback with mutual TLS from {@code pki}; not started. */
    GossipNodeConfig.Builder config(Pki pki, String name, SiteId site, int port, List<NodeAddress> seeds) {
        return GossipNodeConfig.builder(site, new InetSocketAddress(Pki.LOOPBACK, port))
                .nodeName(name)
                .tls(pki.tls(name))
                .seeds(seeds)
                .gossip(FAST)
                .transportTuning(t -> t.ioThreads(1)
                        .reconnectBackoff(Duration.ofMillis(100))
                        .unresponsiveTimeout(Duration.ofSeconds(1))
                        .connectTimeout(Duration.ofSeconds(2))
                        .closeTimeout(Duration.ofSeconds(3)));
    }

    GossipNode start(GossipNodeConfig config, InMemoryChangesetStore store, GossipListener listener) {
        GossipNode node = new GossipNode(config, store, listener);
        nodes.push(node);
        node.start();
        return node;
    }

    SiteId newSite() {
        return new SiteId(random.nextLong(), random.nextLong());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (GossipNode node = nodes.poll(); node != null; node = nodes.poll()) {
            node.close();
        }
    }

    // ---------------------------------------------------------------- conditions

    /** Commits {@code count} versions of {@code payloadBytes} on the node's store and broadcasts them. */
    static void write(GossipNode node, InMemoryChangesetStore store, int count, int payloadBytes) {
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[payloadBytes];
            new Random(i).nextBytes(payload);
            store.commitLocal(payload, payloadBytes, System.currentTimeMillis()).forEach(node::broadcast);
        }
    }

    /** Each site's head among the stores: what every node must end up with. */
    static Map<SiteId, Long> heads(List<InMemoryChangesetStore> stores) {
        Map<SiteId, Long> heads = new TreeMap<>();
        for (InMemoryChangesetStore store : stores) {
            long head = store.head(store.siteId());
            if (head > 0) {
                heads.put(store.siteId(), head);
            }
        }
        return heads;
    }

    static boolean hasAll(InMemoryChangesetStore store, Map<SiteId, Long> heads) {
        return heads.entrySet().stream().allMatch(e -> store.hasAllUpTo(e.getKey(), e.getValue()));
    }

    static boolean converged(List<InMemoryChangesetStore> stores) {
        Map<SiteId, Long> heads = heads(stores);
        return stores.stream().allMatch(store -> hasAll(store, heads));
    }

    /** How {@code observer} sees {@code site}, or null. */
    static MemberStatus statusOf(GossipNode observer, SiteId site) {
        return observer.members().stream().filter(m -> m.siteId().equals(site)).map(MemberInfo::status)
                .findFirst().orElse(null);
    }

    static void awaitFullMesh(List<GossipNode> nodes, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> nodes.stream().allMatch(n ->
                nodes.stream().filter(o -> o != n).allMatch(o -> statusOf(n, o.siteId()) == MemberStatus.ALIVE)));
    }

    /** Threads of gossip nodes and of the QUIC transport (netty's event loops and global helpers included). */
    static Set<String> nodeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(GossipNode.THREAD_NAME_PREFIX)
                        || name.toLowerCase(Locale.ROOT).contains("quic")
                        || name.toLowerCase(Locale.ROOT).contains("netty")
                        || name.startsWith("globalEventExecutor") || name.startsWith("multiThreadIoEventLoopGroup"))
                .collect(Collectors.toSet());
    }

    static LongRange all(long head) {
        return new LongRange(1, head);
    }
}
