package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusErrorsTest {
    @Test
    void withoutATargetItAsksForOne() {
        Cli r = Cli.run("status");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Say which node: --pid PID or --jmx URL|HOST:PORT");
    }

    @Test
    void aMalformedTargetIsABadArgument() {
        Cli r = Cli.run("status", "--jmx", "my node");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--jmx wants service:jmx:... or host:port, not 'my node'");
        Cli pid = Cli.run("status", "--pid", "abc");
        assertThat(pid.exitCode()).isEqualTo(2);
    }

    @Test
    void anUnreachableNodeIsAClearFailure() {
        Cli r = Cli.run("status", "--jmx", "127.0.0.1:1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach the JMX agent at 127.0.0.1:1");
        Cli pid = Cli.run("status", "--pid", "2147483646");
        assertThat(pid.exitCode()).as(pid.toString()).isEqualTo(1);
        assertThat(pid.err()).startsWith("error: cannot attach to JVM 2147483646");
    }

    @Test
    void aJvmWithoutReplicatingFilesSaysSo() {
        Cli r = Cli.run("status", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("no replicating database in pid ").contains("bind/seeds");
    }
}
