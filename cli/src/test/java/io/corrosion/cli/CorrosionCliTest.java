package io.corrosion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorrosionCliTest {
    @Test
    void withoutACommandItSaysWhichExistAndExitsWith2() {
        Cli r = Cli.run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Missing a command: certs, sql, changes, status, backup or restore").contains("Usage: corrosion");
    }

    @Test
    void anUnknownCommandIsABadArgument() {
        Cli r = Cli.run("stats");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'stats'");
    }

    @Test
    void helpListsEveryCommandAndVersionNamesTheDriver() {
        Cli help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("certs", "sql", "changes", "status");
        Cli version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("corrosion " + io.corrosion.jdbc.DriverVersion.VERSION);
    }
}
