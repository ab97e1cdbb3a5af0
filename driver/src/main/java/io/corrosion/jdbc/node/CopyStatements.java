package io.corrosion.jdbc.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.replication.NodeCopies;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.ExtendedCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statements that copy the database to another file: sqlite-jdbc's {@code BACKUP [db] TO <file>} and SQLite's
 * {@code VACUUM [schema] INTO '<file>'}, a path or a {@code file:} URI. Once one has run, the copy's node identity is
 * taken out ({@link NodeCopies}), so that a node restored or seeded from it runs as a new site instead of breaking "one
 * file, one node". A {@code VACUUM INTO} whose file name is a bound parameter or an expression cannot be followed: its
 * copy keeps the identity, and a WARN says so.
 */
final class CopyStatements {
    private static final Logger log = LoggerFactory.getLogger(CopyStatements.class);
    private static final Pattern BACKUP = Pattern.compile("(?is)\\s*backup\\b");
    private static final Pattern VACUUM_INTO = Pattern.compile(
            "(?is)\\s*vacuum(?:\\s+(?:\"(?:[^\"]|\"\")*\"|`[^`]*`|\\[[^\\]]*]|\\w+))?\\s+into\\s+'((?:[^']|'')*)'\\s*;?\\s*");
    private static final Pattern ANY_VACUUM_INTO = Pattern.compile("(?is)\\s*vacuum\\b.*\\binto\\b.*");

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

    /** The file a copying statement wrote; empty for any other statement, and for a copy in memory. */
    static Optional<Path> copyTarget(String sql) throws SQLException {
        if (BACKUP.matcher(sql).lookingAt()
                && ExtendedCommand.parse(sql.strip()) instanceof ExtendedCommand.BackupCommand backup) {
            return file(backup.destFile);
        }
        Matcher vacuum = VACUUM_INTO.matcher(sql);
        if (vacuum.matches()) {
            return file(vacuum.group(1).replace("''", "'"));
        }
        if (ANY_VACUUM_INTO.matcher(sql).matches()) {
            log.warn("A VACUUM INTO whose file name is not a string literal ran: the driver cannot tell which file it"
                    + " wrote, and that copy keeps this node's identity. Do not start a node from it before"
                    + " 'corrosion restore' or CorrosionDriver.forgetNodeIdentity has taken the identity out");
        }
        return Optional.empty();
    }

    /**
     * The file SQLite opens for {@code name}: the name itself, or the path of a {@code file:} URI (its authority, if
     * any, is the local host; its query holds parameters, not path); none for an in-memory database.
     */
    static Optional<Path> file(String name) {
        if (name.isEmpty() || name.equals(":memory:")) {
            return Optional.empty();
        }
        if (!name.regionMatches(true, 0, "file:", 0, 5)) {
            return Optional.of(Path.of(name));
        }
        String rest = name.substring(5);
        int end = rest.length();
        for (char c : new char[] {'?', '#'}) {
            int at = rest.indexOf(c);
            end = at < 0 ? end : Math.min(end, at);
        }
        String query = end < rest.length() ? rest.substring(end + 1) : "";
        String path = rest.substring(0, end);
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        path = percentDecoded(path);
        if (path.isEmpty() || path.equals(":memory:") || query.matches("(?i)(?:.*&)?mode=memory(?:&.*)?")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }

    private static String percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static void forget(Path copy) throws SQLException {
        try {
            NodeCopies.forgetIdentityOfNewCopy(copy).ifPresent(former -> {
                log.info("Copied the database to {}: a node started from the copy runs as a new site; the changes it"
                        + " holds of this one ({}) are a remote site's there, up to version {}", copy,
                        HexFormat.of().formatHex(former.siteId()), former.dbVersion());
                former.configuredSlot().ifPresent(slot -> log.warn("This node has node-slot {} configured: give a node"
                        + " started from the copy {} another node-slot, or it generates again the keys this node"
                        + " generates there from now on", slot, copy));
            });
        } catch (SQLException e) {
            throw new SQLException("The database was copied to " + copy + ", but the copy still has this node's"
                    + " identity (" + e.getMessage() + "). Do not start a node from it as it is: a restored node would"
                    + " lose its next writes. 'corrosion restore' of it takes the identity out", e.getSQLState(), e);
        }
    }
}
