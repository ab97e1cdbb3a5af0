package io.corrosion.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.runtime.GossipNodeConfig;
import io.corrosion.jdbc.CorrosionConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The URL's node settings reach the gossip node's configuration (what they mean there: the gossip module's tests). */
class AgentSettingsTest {
    private static GossipNodeConfig gossipConfig(String options) throws SQLException {
        CorrosionConfig c = CorrosionConfig.parse("jdbc:corrosion:app.db?bind=127.0.0.1:0&tls.insecure=true" + options, null);
        return AgentSettings.gossipConfig(c.node(), SiteId.random(new SplittableRandom(7)), "n",
                UnaryOperator.identity(), UnaryOperator.identity());
    }

    @Test
    void theHandoverTimeoutBoundsTheWaitOfACleanShutdown() throws SQLException {
        assertThat(gossipConfig("").handoverTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(gossipConfig("&handover-timeout=1500ms").handoverTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(gossipConfig("&handover-timeout=0s").handoverTimeout()).as("no handover").isZero();
    }

    @Test
    void syncIntervalAndFanoutReachTheGossipSettings() throws SQLException {
        GossipNodeConfig g = gossipConfig("&sync-interval=750ms&fanout=3");
        assertThat(g.gossip().syncInterval()).isEqualTo(Duration.ofMillis(750));
        assertThat(g.gossip().fanout()).isEqualTo(3);
    }
}
