package io.corrosion.gossip.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs netty's buffer leak detector at PARANOID level (every buffer tracked) for the whole test JVM and
 * records each leak it reports. Installed before any test class loads (a {@link LauncherSessionListener},
 * registered in META-INF/services) because netty creates its detectors once, in static initialisers.
 * As a JUnit extension it fails the test class if any leak was reported.
 */
public final class NettyLeakRecorder implements LauncherSessionListener, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    /** A buffer touched with this hint is leaked on purpose (by the recorder's own test): record, don't log. */
    static final String DELIBERATE = "deliberate leak for NettyLeakRecorderTest";

    /** The leaks reported so far, removed from the record (for the recorder's own test). */
    static List<String> drain() {
        List<String> reported = List.copyOf(LEAKS);
        LEAKS.removeAll(reported);
        return reported;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static void install() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected boolean needReport() {
                        return true;
                    }

                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        LEAKS.add(resourceType + records);
                        if (!records.contains(DELIBERATE)) {
                            super.reportTracedLeak(resourceType, records);
                        }
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.add(resourceType);
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        // Leaks surface when a collected buffer's reference is polled, which happens on the next allocation:
        // collect and allocate repeatedly for a while; any report fails the class. The bound is generous: each poll
        // runs a full GC, which takes long on a loaded machine (2 s timed out under a load average of 70).
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    for (ByteBufAllocator allocator : new ByteBufAllocator[] {ByteBufAllocator.DEFAULT,
                            PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
                        ByteBuf direct = allocator.directBuffer(1);
                        ByteBuf heap = allocator.heapBuffer(1);
                        direct.release();
                        heap.release();
                    }
                    return LEAKS.isEmpty();
                });
        assertThat(LEAKS).as("netty buffer leaks").isEmpty();
    }
}
