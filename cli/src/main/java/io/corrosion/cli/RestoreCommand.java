package io.corrosion.cli;

import io.corrosion.jdbc.replication.NodeCopies;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion restore}: puts a copy of a node's file where a node is to start from it, without the identity of
 * the node it was copied from ({@link NodeCopies}), whatever made the copy and whoever opened it since.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Write COPY (a backup, a file copied while its node was stopped) to DATABASE, where a node is to"
                + " start: the node a lost one's file is replaced for, or a new node seeded with the data. DATABASE"
                + " must not exist: with the lost node stopped, delete its file and its -wal and -shm first. The node"
                + " started there runs as a new site (with a key slot of its own) that holds every change of the copy,"
                + " and gets the rest, its predecessor's later changes included, from its peers.",
                "With --in-place, DATABASE is such a copy already in place (it must be in WAL mode, and not open):"
                        + " only the identity is taken out. Never run it on the file of a node that is to go on as"
                        + " itself."})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "COPY", description = "The copy to restore (with --in-place: DATABASE).")
    Path copy;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DATABASE", description = "Where the node is to start.")
    Path database;

    @Option(names = "--in-place", description = "COPY is in place already: only take the node identity out of it.")
    boolean inPlace;

    @Override
    public Integer call() throws SQLException {
        if (inPlace == (database != null)) {
            throw new ParameterException(spec.commandLine(), inPlace ? "--in-place takes one file"
                    : "Missing DATABASE, the file to restore to (or --in-place)");
        }
        if (inPlace) {
            BackupCommand.report(spec.commandLine().getOut(), "", copy, NodeCopies.forgetIdentity(copy));
        } else {
            BackupCommand.report(spec.commandLine().getOut(), "Restored " + copy + " to " + database + ". ", database,
                    NodeCopies.copy(copy, database));
        }
        return 0;
    }
}
