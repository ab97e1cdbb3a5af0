package io.corrosion.cli;

import io.corrosion.jdbc.crr.SiteDetach;
import io.corrosion.jdbc.replication.NodeCopies;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion backup}: a copy of a node's file that a node can be restored or seeded from, because it no longer
 * carries the node's identity ({@link NodeCopies}); or, with {@code --in-place}, that change alone on a copy made some
 * other way.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy DATABASE to TARGET as a file a node can be restored or seeded from. The copy loses the"
                + " node's identity (its site id and key slot): the node started from it runs as a new site that"
                + " already holds every change the copied node had, and gets the rest from its peers. Safe while the"
                + " node runs (the copy is SQLite's VACUUM INTO, a read).",
                "With --in-place, DATABASE is such a copy made some other way (a file copy or a file-system snapshot"
                        + " taken while its node was stopped): only its identity is taken out. Never run it on the"
                        + " file of a node that is to go on as itself."})
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATABASE", description = "The node's database file.")
    Path database;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "The copy to write; must not exist.")
    Path target;

    @Option(names = "--in-place", description = "Take the node identity out of DATABASE itself (no TARGET).")
    boolean inPlace;

    @Override
    public Integer call() throws SQLException {
        if (inPlace == (target != null)) {
            throw new ParameterException(spec.commandLine(), inPlace ? "--in-place takes no TARGET"
                    : "Missing TARGET, the file to copy to (or --in-place)");
        }
        if (!Files.isRegularFile(database)) {
            throw new CliException("no database file " + database);
        }
        Path copy = inPlace ? database : target;
        if (!inPlace) {
            if (Files.exists(target)) {
                throw new CliException(target + " exists already; the copy must go to a new file");
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                    Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + target.toString().replace("'", "''") + "'");
            }
        }
        Optional<SiteDetach.FormerSite> former = NodeCopies.forgetIdentity(copy);
        PrintWriter out = spec.commandLine().getOut();
        if (former.isEmpty()) {
            out.println((inPlace ? "" : "Copied " + database + " to " + copy + ". ") + copy + " has no node identity"
                    + " (not a corrosion database, or taken out already): nothing to change.");
        } else {
            out.println((inPlace ? "" : "Copied " + database + " to " + copy + ". ") + "A node started from " + copy
                    + " runs as a new site; the changes of site " + HexFormat.of().formatHex(former.get().siteId())
                    + " up to its version " + former.get().dbVersion() + " are there as a remote site's.");
        }
        return 0;
    }
}
