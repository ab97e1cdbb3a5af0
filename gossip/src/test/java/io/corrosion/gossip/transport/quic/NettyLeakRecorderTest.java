package io.corrosion.gossip.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check the QUIC tests rely on must be able to fail: a dropped buffer is reported. */
class NettyLeakRecorderTest {

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        leakOneBuffer();
        List<String> reported = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            ByteBufAllocator.DEFAULT.directBuffer(1).release();
            reported.addAll(NettyLeakRecorder.drain());
            return !reported.isEmpty();
        });
        assertThat(String.join("\n", reported)).contains("ByteBuf").contains("leakOneBuffer");
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.touch(NettyLeakRecorder.DELIBERATE).writeLong(42);
    }
}
