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
 * AddressBook admits a lookup when fewer than MAX_LOOKUPS are in flight, by its own count, which drops when the answer
 * is taken in on the protocol thread; a pool's count of threads drops only when a thread is back waiting for work. A
 * resolver thread that has handed its answer over but is not back yet (preempted: it runs at nice 5) still counts;
 * the pool must not refuse the next lookup then (a refused name is cached as unresolvable for a minute). The thread is
 * held inside the hand-over here to stand for the preemption.
 */
class ResolverPoolSaturationTest {

    private static final class Inbox implements Executor {
        final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        final CountDownLatch preempted = new CountDownLatch(1);

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
            if (Thread.currentThread().getName().contains("resolver")) {
                try {
                    preempted.await(); // the resolver thread, between handing its answer over and polling again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void aNameLookedUpWhileTheLookupCountHasRoomIsNotRefused() throws Exception {
        CountDownLatch hungDns = new CountDownLatch(1);
        ThreadPoolExecutor resolver = new NodeThreads("probe").pool("resolver", AddressBook.RESOLVER_THREADS);
        Inbox protocolThread = new Inbox();
        AddressBook book = new AddressBook(address -> {
            if (address.host().startsWith("hung")) {
                try {
                    hungDns.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new InetSocketAddress("127.0.0.1", address.port());
        }, resolver, protocolThread, new RateLimitedLog(LoggerFactory.getLogger(getClass()), 5, 10_000));
        try {
            for (int i = 0; i < AddressBook.MAX_LOOKUPS - 1; i++) {
                book.whenResolved(new NodeAddress("hung-" + i + ".example", 7400), a -> { });
            }
            AtomicReference<InetSocketAddress> quick = new AtomicReference<>();
            book.whenResolved(new NodeAddress("quick.example", 7400), quick::set);
            Runnable answer = protocolThread.tasks.poll(5, TimeUnit.SECONDS);
            assertThat(answer).as("quick.example answered").isNotNull();
            answer.run(); // the protocol thread takes the answer in: 63 lookups in flight by the book's count
            assertThat(quick.get()).isNotNull();

            AtomicReference<Object> fresh = new AtomicReference<>("no answer yet");
            book.whenResolved(new NodeAddress("fresh.example", 7400), fresh::set);
            protocolThread.preempted.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ("no answer yet".equals(fresh.get()) && System.nanoTime() < deadline) {
                Runnable next = protocolThread.tasks.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    next.run();
                }
            }
            assertThat(fresh.get()).as("fresh.example, looked up with 63 lookups in flight (MAX_LOOKUPS %d): refused"
                    + " by the pool and cached unresolvable for a minute", AddressBook.MAX_LOOKUPS)
                    .isInstanceOf(InetSocketAddress.class);
        } finally {
            hungDns.countDown();
            protocolThread.preempted.countDown();
            resolver.shutdownNow();
        }
    }
}
