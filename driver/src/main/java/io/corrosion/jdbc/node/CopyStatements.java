package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.replication.NodeCopies;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.ExtendedCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements that copy the database to another file: sqlite-jdbc's {@code BACKUP [db] TO <file>} and SQLite's
 * {@code VACUUM [schema] INTO '<file>'}. Once one has run, the copy's node identity is taken out
 * ({@link NodeCopies#forgetIdentity}), so that a node restored or seeded from it runs as a new site instead of
 * breaking "one file, one node". A {@code VACUUM INTO} whose file name is a bound parameter or an expression is not
 * recognised: its copy keeps the identity.
 */
final class CopyStatements {
    private static final Logger log = LoggerFactory.getLogger(CopyStatements.class);
    private static final Pattern BACKUP = Pattern.compile("(?is)\\s*backup\\b");
    private static final Pattern VACUUM_INTO = Pattern.compile(
            "(?is)\\s*vacuum(?:\\s+(?:\"(?:[^\"]|\"\")*\"|`[^`]*`|\\[[^\\]]*]|\\w+))?\\s+into\\s+'((?:[^']|'')*)'\\s*;?\\s*");

    private CopyStatements() {}

    /** After {@code plan} ran: takes the node identity out of each copy it wrote. */
    static void afterCopies(SqlPlan plan) throws SQLException {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.OTHER) {
                Optional<Path> copy = copyTarget(s.sql());
                if (copy.isPresent()) {
                    forget(copy.get());
                }
            }
        }
    }

    /** The file a copying statement writes; empty for any other statement. */
    static Optional<Path> copyTarget(String sql) throws SQLException {
        if (BACKUP.matcher(sql).lookingAt()
                && ExtendedCommand.parse(sql.strip()) instanceof ExtendedCommand.BackupCommand backup) {
            return Optional.of(Path.of(backup.destFile));
        }
        Matcher vacuum = VACUUM_INTO.matcher(sql);
        if (vacuum.matches()) {
            String file = vacuum.group(1).replace("''", "'");
            return file.startsWith("file:") || file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file));
        }
        return Optional.empty();
    }

    private static void forget(Path copy) throws SQLException {
        try {
            NodeCopies.forgetIdentity(copy).ifPresent(former -> log.info("Copied the database to {}: a node started"
                    + " from the copy runs as a new site; the changes it holds of this one ({}) are a remote site's"
                    + " there, up to version {}", copy, hex(former.siteId()), former.dbVersion()));
        } catch (SQLException e) {
            throw new SQLException("The database was copied to " + copy + ", but the copy still has this node's"
                    + " identity (" + e.getMessage() + "). Do not start a node from it: a restored node would lose its"
                    + " next writes. Retry with CorrosionDriver.forgetNodeIdentity", e.getSQLState(), e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
