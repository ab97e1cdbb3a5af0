package io.corrosion.cli;

import io.corrosion.jdbc.replication.NodeCopies;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion backup}: a copy of a node's file that a node can be restored or seeded from, because it no longer
 * carries the node's identity ({@link NodeCopies}).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy DATABASE to TARGET as a file a node can be restored or seeded from (corrosion restore)."
                + " The copy loses the node's identity (its site id and key slot): a node started from it runs as a"
                + " new site that already holds every change the copied node had, and gets the rest from its peers."
                + " Safe while the node runs (the copy is SQLite's VACUUM INTO, a read)."})
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATABASE", description = "The node's database file.")
    Path database;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The copy to write; must not exist.")
    Path target;

    @Override
    public Integer call() throws SQLException {
        report(spec.commandLine().getOut(), "Copied " + database + " to " + target + ". ", target,
                NodeCopies.copy(database, target));
        return 0;
    }

    /** What a copy's identity was, and what to mind when starting a node from it. */
    static void report(PrintWriter out, String done, Path copy, Optional<NodeCopies.Former> former) {
        if (former.isEmpty()) {
            out.println(done + copy + " has no node identity (not a corrosion database, or taken out already):"
                    + " a node started from it takes one of its own.");
            return;
        }
        out.println(done + "A node started from " + copy + " runs as a new site; the changes of site "
                + HexFormat.of().formatHex(former.get().siteId()) + " up to its version " + former.get().dbVersion()
                + " are there as a remote site's.");
        former.get().configuredSlot().ifPresent(slot -> out.println("That node had node-slot " + slot
                + " configured: give the node started from " + copy + " another node-slot (with the same one, its"
                + " keys start 65,536 per table ahead of the copy's, and beyond that it can repeat keys its predecessor"
                + " generated until their rows reach it)."));
    }
}
