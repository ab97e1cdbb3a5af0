package io.corrosion.jdbc.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetnsPlanTest {
    private final NetnsPlan plan = new NetnsPlan(4242, 3);

    @Test
    void namesCarryThePidAndAddressesFollowTheNodeIndex() {
        assertThat(plan.switchNamespace()).isEqualTo("corrosion-chaos-4242-sw");
        assertThat(plan.nodeNamespace(2)).isEqualTo("corrosion-chaos-4242-n2");
        assertThat(plan.address(0)).isEqualTo("10.77.0.1");
        assertThat(plan.address(2)).isEqualTo("10.77.0.3");
        assertThat(plan.exec(1)).containsExactly("ip", "netns", "exec", "corrosion-chaos-4242-n1");
    }

    @Test
    void setUpCreatesTheSwitchFirstThenWiresEveryNodeToBridgeZero() {
        List<List<String>> commands = plan.setUp();
        assertThat(commands.get(0)).containsExactly("ip", "netns", "add", "corrosion-chaos-4242-sw");
        assertThat(commands).contains(
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "add", "br1", "type", "bridge"),
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "add", "n1", "type", "veth", "peer", "name",
                        "eth0", "netns", "corrosion-chaos-4242-n1"),
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "set", "n2", "master", "br0"),
                List.of("ip", "-n", "corrosion-chaos-4242-n2", "addr", "add", "10.77.0.3/24", "dev", "eth0"),
                List.of("ip", "-n", "corrosion-chaos-4242-n0", "link", "set", "eth0", "up"));
        // a node's namespace exists before the veth pair that puts one end in it
        assertThat(commands.indexOf(List.of("ip", "netns", "add", "corrosion-chaos-4242-n1")))
                .isLessThan(commands.indexOf(List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "add", "n1",
                        "type", "veth", "peer", "name", "eth0", "netns", "corrosion-chaos-4242-n1")));
        // every interface name fits Linux's 15 characters
        commands.stream().filter(c -> c.contains("link") && c.contains("add")).forEach(
                c -> assertThat(c.get(c.indexOf("add") + 1).length()).isLessThanOrEqualTo(15));
    }

    @Test
    void aPartitionMovesOneSidesPortsToTheOtherBridgeAndHealingMovesThemBack() {
        assertThat(plan.partition(Set.of(2, 0))).containsExactly(
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "set", "n0", "master", "br1"),
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "set", "n2", "master", "br1"));
        assertThat(plan.heal(Set.of(1))).containsExactly(
                List.of("ip", "-n", "corrosion-chaos-4242-sw", "link", "set", "n1", "master", "br0"));
    }

    @Test
    void tearDownDeletesEveryNamespace() {
        assertThat(plan.tearDown()).containsExactlyInAnyOrder(
                List.of("ip", "netns", "delete", "corrosion-chaos-4242-n0"),
                List.of("ip", "netns", "delete", "corrosion-chaos-4242-n1"),
                List.of("ip", "netns", "delete", "corrosion-chaos-4242-n2"),
                List.of("ip", "netns", "delete", "corrosion-chaos-4242-sw"));
    }

    @Test
    void staleNamespacesAreOursOfDeadProcessesOnly() {
        List<String> listed = List.of("corrosion-chaos-100-n0 (id: 3)", "corrosion-chaos-100-sw (id: 2)",
                "corrosion-chaos-200-n0", "corrosion-chaos-x-n0", "corrosion-chaos-", "other-100-n0",
                "corrosion-chaos-99999999999999999999-n0");
        assertThat(NetnsPlan.stale(listed, pid -> pid == 200))
                .containsExactly("corrosion-chaos-100-n0", "corrosion-chaos-100-sw");
    }

    @Test
    void aPlanNeedsOneTo250Nodes() {
        assertThatThrownBy(() -> new NetnsPlan(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetnsPlan(1, 251)).isInstanceOf(IllegalArgumentException.class);
    }
}
