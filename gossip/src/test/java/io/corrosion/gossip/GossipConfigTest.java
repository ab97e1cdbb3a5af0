package io.corrosion.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GossipConfigTest {

    @Test
    void defaultsFollowTheBrief() {
        GossipConfig c = GossipConfig.defaults();
        assertThat(c.fanout()).isEqualTo(8);
        assertThat(c.syncInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> GossipConfig.builder().fanout(0).build()).hasMessageContaining("fanout");
        assertThatThrownBy(() -> GossipConfig.builder().probeInterval(Duration.ZERO).build())
                .hasMessageContaining("probeInterval");
        assertThatThrownBy(() -> GossipConfig.builder().probeTimeout(Duration.ofSeconds(2)).build())
                .hasMessageContaining("probeTimeout");
        assertThatThrownBy(() -> GossipConfig.builder().maxDatagramBytes(100).build())
                .hasMessageContaining("maxDatagramBytes");
        assertThatThrownBy(() -> GossipConfig.builder().syncBatchBytes(3 << 20).build())
                .hasMessageContaining("syncBatchBytes");
        assertThatThrownBy(() -> GossipConfig.builder().maxMembers(1).build()).hasMessageContaining("maxMembers");
        assertThatThrownBy(() -> GossipConfig.builder().maxInboundSyncsPerPeer(4).build())
                .hasMessageContaining("maxInboundSyncsPerPeer");
    }

    @Test
    void suspicionTimeoutsAndRetransmitsGrowWithTheCluster() {
        GossipConfig c = GossipConfig.defaults();
        assertThat(c.suspicionMinMillis(10)).isEqualTo(4_000);
        assertThat(c.suspicionMinMillis(1000)).isEqualTo(12_000);
        assertThat(c.suspicionMaxMillis(1000)).isEqualTo(72_000);
        assertThat(c.retransmitLimit(100)).isEqualTo(12);
    }
}
