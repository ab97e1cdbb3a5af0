package io.corrosion.gossip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.transport.PeerIdentity;
import io.corrosion.gossip.transport.PeerInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerQuarantineTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final PeerQuarantine quarantine = new PeerQuarantine(clock::get);

    private static PeerInfo peer(int port) {
        return new PeerInfo(new InetSocketAddress("127.0.0.1", port), new PeerIdentity("CN=peer" + port, "00", true, null));
    }

    @Test
    void aBurstOfBadFramesQuarantinesThatPeerForThePenaltyOnly() {
        PeerInfo bad = peer(1);
        for (int i = 1; i < PeerQuarantine.STRIKES; i++) {
            assertThat(quarantine.strike(bad)).isFalse();
        }
        assertThat(quarantine.blocks(bad)).isFalse();
        assertThat(quarantine.strike(bad)).isTrue();
        assertThat(quarantine.blocks(bad)).isTrue();
        assertThat(quarantine.blocks(peer(2))).as("other peers are unaffected").isFalse();
        clock.addAndGet(PeerQuarantine.PENALTY_NANOS - 1);
        assertThat(quarantine.blocks(bad)).isTrue();
        clock.addAndGet(1);
        assertThat(quarantine.blocks(bad)).isFalse();
    }

    @Test
    void anOccasionalBadFrameNeverTripsIt() {
        PeerInfo sloppy = peer(3);
        for (int i = 0; i < 10 * PeerQuarantine.STRIKES; i++) {
            assertThat(quarantine.strike(sloppy)).isFalse();
            clock.addAndGet(PeerQuarantine.WINDOW_NANOS / (PeerQuarantine.STRIKES - 2));
        }
        assertThat(quarantine.blocks(sloppy)).isFalse();
    }
}
