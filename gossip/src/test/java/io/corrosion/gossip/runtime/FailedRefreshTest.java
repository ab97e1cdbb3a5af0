package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.NodeAddress;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * When the minute-old refresh of a member's host name fails (a DNS hiccup: CoreDNS restarting, a SERVFAIL), the last
 * good answer keeps serving. The failure used to replace it, and every message to that member was dropped for a minute
 * although its address still worked: probes failed, it was suspected, and (k = 0 in small clusters) soon declared dead.
 *
 * <p>The book's clock is System.nanoTime(), so the test ages the entry by reflection.
 */
class FailedRefreshTest {

    private static final class Manual implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
        }
    }

    private boolean dnsUp = true;
    private final Manual lookups = new Manual();
    private final Manual protocolThread = new Manual();
    private final AddressBook book = new AddressBook(
            a -> dnsUp ? new InetSocketAddress("127.0.0.1", a.port())
                    : InetSocketAddress.createUnresolved(a.host(), a.port()),
            lookups, protocolThread, new RateLimitedLog(LoggerFactory.getLogger(getClass()), 5, 10_000));

    private void lookupsAnswer() {
        lookups.runAll();
        protocolThread.runAll();
    }

    /** Makes the book's entry for {@code address} older than its one-minute TTL. */
    @SuppressWarnings("unchecked")
    private void ageEntry(NodeAddress address) throws Exception {
        Field cacheField = AddressBook.class.getDeclaredField("cache");
        cacheField.setAccessible(true);
        Map<NodeAddress, Object> cache = (Map<NodeAddress, Object>) cacheField.get(book);
        Class<?> entryType = Class.forName(AddressBook.class.getName() + "$Entry");
        Constructor<?> entry = entryType.getDeclaredConstructor(InetSocketAddress.class, long.class);
        entry.setAccessible(true);
        Object old = cache.get(address);
        Field addressField = entryType.getDeclaredField("address");
        addressField.setAccessible(true);
        cache.put(address, entry.newInstance(addressField.get(old), System.nanoTime() - 61_000_000_000L));
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodAddress() throws Exception {
        NodeAddress member = new NodeAddress("node-2.corrosion.svc", 7400);
        List<InetSocketAddress> sentTo = new ArrayList<>();
        book.whenResolved(member, sentTo::add);
        lookupsAnswer();
        assertThat(sentTo).containsExactly(new InetSocketAddress("127.0.0.1", 7400));

        ageEntry(member); // a minute later
        dnsUp = false; // a DNS hiccup just as the name is looked up again
        book.whenResolved(member, sentTo::add); // the stale answer serves while the refresh runs
        lookupsAnswer();
        dnsUp = true; // DNS is back a moment later; the book does not ask again for a minute

        sentTo.clear();
        book.whenResolved(member, sentTo::add);
        assertThat(sentTo).as("address for a member whose refresh failed once (its last answer still valid)")
                .containsExactly(new InetSocketAddress("127.0.0.1", 7400));
    }
}
