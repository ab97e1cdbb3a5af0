package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.corrosion.gossip.NodeAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AddressBookTest {

    /** Tasks run only when the test says so. */
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

    private final CountDownLatch dnsAnswers = new CountDownLatch(1);
    private final List<NodeAddress> lookedUp = new ArrayList<>();
    private final Manual lookups = new Manual();
    private final Manual protocolThread = new Manual();

    /** A DNS server that does not answer until the test lets it; names starting with "nx" do not exist. */
    private InetSocketAddress slowLookup(NodeAddress address) {
        lookedUp.add(address);
        try {
            dnsAnswers.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return address.host().startsWith("nx") ? InetSocketAddress.createUnresolved(address.host(), address.port())
                : new InetSocketAddress("127.0.0.1", address.port());
    }

    private final AddressBook book = new AddressBook(this::slowLookup, lookups, protocolThread,
            new RateLimitedLog(LoggerFactory.getLogger(AddressBookTest.class), 5, 10_000));

    /** Lets DNS answer, runs the lookups, then their answers on the "protocol thread". */
    private void dnsAnswers() {
        dnsAnswers.countDown();
        lookups.runAll();
        protocolThread.runAll();
    }

    @Test
    void aHostNameWhoseLookupHangsDoesNotHoldUpTheProtocolThread() {
        NodeAddress hostile = new NodeAddress("slow.example.invalid", 7400);
        InetSocketAddress now = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> book.resolve(hostile));
        assertThat(now).as("not known yet").isNull();
        assertThat(lookedUp).as("nothing looked up on the protocol thread").isEmpty();
        assertThat(lookups.tasks).hasSize(1);
        dnsAnswers();
        assertThat(book.resolve(hostile)).isEqualTo(new InetSocketAddress("127.0.0.1", 7400));
    }

    @Test
    void whatWaitsForALookupGoesOnWhenItAnswers() {
        NodeAddress name = new NodeAddress("peer.example", 7400);
        List<InetSocketAddress> sentTo = new ArrayList<>();
        book.whenResolved(name, sentTo::add);
        book.whenResolved(name, sentTo::add);
        assertThat(sentTo).isEmpty();
        assertThat(lookups.tasks).as("one lookup per name").hasSize(1);
        dnsAnswers();
        assertThat(sentTo).containsExactly(new InetSocketAddress("127.0.0.1", 7400),
                new InetSocketAddress("127.0.0.1", 7400));
        book.whenResolved(name, sentTo::add);
        assertThat(sentTo).hasSize(3);
        assertThat(lookedUp).containsExactly(name);
    }

    @Test
    void ipLiteralsResolveAtOnceWithoutALookup() {
        List<InetSocketAddress> sentTo = new ArrayList<>();
        book.whenResolved(new NodeAddress("10.1.2.3", 7400), sentTo::add);
        book.whenResolved(new NodeAddress("fd00::7", 7401), sentTo::add);
        assertThat(sentTo).containsExactly(new InetSocketAddress("10.1.2.3", 7400),
                new InetSocketAddress("fd00::7", 7401));
        assertThat(book.resolve(new NodeAddress("10.1.2.3", 7400))).isNotNull();
        assertThat(lookups.tasks).isEmpty();
        assertThat(protocolThread.tasks).isEmpty();
    }

    @Test
    void whatOnlyLooksLikeALiteralIsLookedUpOffTheProtocolThread() {
        // The JDK asks DNS for these: not IPv4 (an octet above 255, a leading zero), not IPv6 (a colon after a
        // letter that is no hex digit).
        List<InetSocketAddress> sentTo = new ArrayList<>();
        for (String host : List.of("999.1.1.1", "010.0.0.1", "zz:zz")) {
            book.whenResolved(new NodeAddress(host, 7400), sentTo::add);
        }
        assertThat(sentTo).isEmpty();
        assertThat(lookups.tasks).hasSize(3);
    }

    @Test
    void aNameThatDoesNotResolveFailsItsWaitersAndIsNotLookedUpAgainAtOnce() {
        NodeAddress missing = new NodeAddress("nx.example", 7400);
        List<InetSocketAddress> sentTo = new ArrayList<>();
        book.whenResolved(missing, sentTo::add);
        dnsAnswers();
        assertThat(sentTo).containsExactly((InetSocketAddress) null);
        assertThat(book.resolve(missing)).isNull();
        assertThat(lookups.tasks).isEmpty();
        assertThat(lookedUp).hasSize(1);
    }

    @Test
    void lookupsInFlightAndTheirWaitersAreBounded() {
        for (int i = 0; i < AddressBook.MAX_LOOKUPS; i++) {
            book.resolve(new NodeAddress("h" + i + ".example", 7400));
        }
        List<InetSocketAddress> sentTo = new ArrayList<>();
        book.whenResolved(new NodeAddress("one-too-many.example", 7400), sentTo::add);
        assertThat(sentTo).as("dropped at once, like a lost message").containsExactly((InetSocketAddress) null);
        assertThat(lookups.tasks).hasSize(AddressBook.MAX_LOOKUPS);

        NodeAddress busy = new NodeAddress("h0.example", 7400);
        List<InetSocketAddress> waiting = new ArrayList<>();
        for (int i = 0; i < AddressBook.MAX_WAITING_PER_NAME + 5; i++) {
            book.whenResolved(busy, waiting::add);
        }
        assertThat(waiting).hasSize(5).containsOnlyNulls();
        dnsAnswers();
        assertThat(waiting).hasSize(AddressBook.MAX_WAITING_PER_NAME + 5);
    }
}
