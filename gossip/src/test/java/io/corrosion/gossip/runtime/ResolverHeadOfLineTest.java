package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.NodeAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A host name whose DNS server never answers holds one resolver thread, not all of them: every other host name (a
 * seed's, a legit member's) is still looked up. The resolver was one thread with a queue.
 */
class ResolverHeadOfLineTest {

    /** The protocol thread: answers are queued from the resolver thread and run by the test. */
    private static final class Inbox implements Executor {
        final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }
    }

    @Test
    void aNameWhoseDnsNeverAnswersDoesNotBlockTheLookupOfAnother() throws Exception {
        CountDownLatch hungDns = new CountDownLatch(1);
        ThreadPoolExecutor resolver = new NodeThreads("probe").pool("resolver", AddressBook.RESOLVER_THREADS); // as ProtocolDriver builds it
        Inbox protocolThread = new Inbox();
        AddressBook book = new AddressBook(address -> {
            if (address.host().startsWith("hung")) {
                try {
                    hungDns.await(); // a DNS server that never answers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new InetSocketAddress("127.0.0.1", address.port());
        }, resolver, protocolThread, new RateLimitedLog(LoggerFactory.getLogger(getClass()), 5, 10_000));
        try {
            book.whenResolved(new NodeAddress("hung.bad-member.example", 7400), a -> { });
            AtomicReference<InetSocketAddress> seed = new AtomicReference<>();
            book.whenResolved(new NodeAddress("seed-1.example", 7400), seed::set);

            // Await the seed's answer with a deadline (a healthy lookup takes microseconds here).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seed.get() == null && System.nanoTime() < deadline) {
                Runnable answer = protocolThread.tasks.poll(100, TimeUnit.MILLISECONDS);
                if (answer != null) {
                    answer.run();
                }
            }
            assertThat(seed.get()).as("seed-1.example resolved while another member's name hangs in DNS"
                    + " (resolver queue holds %d lookups behind the hung one)", resolver.getQueue().size())
                    .isNotNull();
        } finally {
            hungDns.countDown();
            resolver.shutdownNow();
        }
    }
}
