package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.intercept.VacuumInto;
import io.corrosion.jdbc.replication.NodeCopies;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.ExtendedCommand;

/**
 * Statements that copy the database to another file: sqlite-jdbc's {@code BACKUP [db] TO <file>} and SQLite's
 * {@code VACUUM [schema] INTO '<file>'}, a path or a {@code file:} URI ({@link SqliteFileNames}). Once one has run, the
 * copy's node identity is taken out ({@link NodeCopies}), so that a node restored or seeded from it runs as a new site
 * instead of breaking "one file, one node". Such a statement must be the only one of its SQL string, so that the copy
 * followed is the one that ran. A {@code VACUUM INTO} whose file name is a bound parameter or an expression cannot be
 * followed: its copy keeps the identity, and a WARN says so.
 */
final class CopyStatements {
    private static final Logger log = LoggerFactory.getLogger(CopyStatements.class);
    private static final Pattern BACKUP = Pattern.compile("(?is)\\s*backup\\b");

    private CopyStatements() {}

    /** Before it runs: a copying statement that shares its SQL string with others is refused. */
    static void refuseInAString(SqlPlan plan) throws SQLException {
        if (plan.statements().size() < 2) {
            return;
        }
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.OTHER && (BACKUP.matcher(s.sql()).lookingAt()
                    || VacuumInto.kind(s.sql()) != VacuumInto.Kind.NONE)) {
                throw new SQLException("BACKUP TO and VACUUM INTO must be the only statement of their SQL string: the"
                        + " driver takes this node's identity out of the copy they write, and must know that it was"
                        + " written. Run it on its own", "0A000");
            }
        }
    }

    /** After {@code plan} ran: takes the node identity out of the copy it wrote, if it wrote one. */
    static void afterCopies(SqlPlan plan) throws SQLException {
        if (plan.statements().size() == 1 && plan.first().kind() == StatementKind.OTHER) {
            Optional<Path> copy = copyTarget(plan.sql(), plan.first().sql());
            if (copy.isPresent()) {
                forget(copy.get());
            }
        }
    }

    /**
     * After {@code plan} failed: a {@code VACUUM INTO} can fail after it wrote its copy ({@code executeQuery} of it:
     * sqlite-jdbc then finds no result set). A copy of this node ({@code siteId}) at its file is taken care of as after
     * a success; a failure to is logged, not thrown, as the statement's own error is what the application gets.
     */
    static void afterFailedCopy(SqlPlan plan, byte[] siteId) {
        if (plan.statements().size() != 1 || plan.first().kind() != StatementKind.OTHER) {
            return;
        }
        Optional<Path> copy = VacuumInto.fileName(plan.first().sql()).flatMap(SqliteFileNames::file);
        try {
            if (copy.isPresent() && NodeCopies.isCopyOf(copy.get(), siteId)) {
                forget(copy.get());
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("A VACUUM INTO that failed had written {}, a copy of this node; its node identity could not be"
                    + " taken out: {}", copy.get(), e.toString());
        }
    }

    /**
     * The file a copying statement wrote; empty for any other statement, and for a copy in memory. {@code sql} is the
     * string as the application passed it (sqlite-jdbc parses BACKUP from it, trailing characters and all),
     * {@code statement} the statement read from it.
     */
    static Optional<Path> copyTarget(String sql, String statement) throws SQLException {
        if (BACKUP.matcher(statement).lookingAt()
                && ExtendedCommand.parse(sql) instanceof ExtendedCommand.BackupCommand backup) {
            return SqliteFileNames.file(backup.destFile);
        }
        switch (VacuumInto.kind(statement)) {
            case LITERAL -> {
                return SqliteFileNames.file(VacuumInto.fileName(statement).orElseThrow());
            }
            case EXPRESSION -> log.warn("A VACUUM INTO whose file name is not a string literal ran: the driver cannot"
                    + " tell which file it wrote, and that copy keeps this node's identity. Do not start a node from it"
                    + " before 'corrosion restore' or CorrosionDriver.forgetNodeIdentity has taken the identity out");
            case NONE -> { }
        }
        return Optional.empty();
    }

    private static void forget(Path copy) throws SQLException {
        try {
            NodeCopies.forgetIdentityOfNewCopy(copy).ifPresent(former -> {
                log.info("Copied the database to {}: a node started from the copy runs as a new site; the changes it"
                        + " holds of this one ({}) are a remote site's there, up to version {}", copy,
                        HexFormat.of().formatHex(former.siteId()), former.dbVersion());
                former.configuredSlot().ifPresent(slot -> log.warn("This node has node-slot {} configured: give a node"
                        + " started from the copy {} another node-slot (with this one, its keys start 65,536 per table"
                        + " ahead, and beyond that it can repeat keys this node generates until their rows reach it)",
                        slot, copy));
            });
        } catch (SQLException e) {
            throw new SQLException("The database was copied to " + copy + ", but the copy still has this node's"
                    + " identity (" + e.getMessage() + "). Do not start a node from it as it is: a restored node would"
                    + " lose its next writes. 'corrosion restore' of it takes the identity out", e.getSQLState(), e);
        }
    }
}
