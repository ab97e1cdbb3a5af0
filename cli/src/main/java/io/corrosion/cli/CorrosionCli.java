package io.corrosion.cli;

import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.DriverVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion}: the operators' command line. {@code certs} makes a dev CA and node certificates, {@code sql} runs
 * statements against a file through the driver, {@code changes} dumps {@code crsql_changes} as JSON lines,
 * {@code status} shows a running node's members, versions and lag over JMX, {@code backup} and {@code restore} copy
 * a node's file as one a node can be restored or seeded from.
 *
 * <p>Exit codes: 0 done, 1 the command failed (a message on stderr says why), 2 bad arguments (with usage).
 */
@Command(name = "corrosion", mixinStandardHelpOptions = true, versionProvider = CorrosionCli.Version.class,
        description = "Operate corrosion-jdbc nodes: certificates, SQL, changes, status, backup and restore.",
        subcommands = {CertsCommand.class, SqlCommand.class, ChangesCommand.class, StatusCommand.class,
                BackupCommand.class, RestoreCommand.class, HelpCommand.class})
public final class CorrosionCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing a command: certs, sql, changes, status, backup or restore");
    }

    /** The command line with this tool's error handling; {@code execute(args)} returns the exit code. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CorrosionCli());
        commandLine.setExecutionExceptionHandler(new Failures());
        return commandLine;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } finally {
            CorrosionDriver.shutdownAll();
        }
        System.exit(code);
    }

    /** {@code --version}: the driver's version, which is this tool's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"corrosion " + DriverVersion.VERSION};
        }
    }
}
