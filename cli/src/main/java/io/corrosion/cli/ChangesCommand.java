package io.corrosion.cli;

import io.corrosion.jdbc.crr.PackedColumns;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion changes}: {@code crsql_changes} since a db version as JSON lines, one change per line, in the
 * order (db version, site id, seq). What replication moves between nodes, readable by any tool that reads JSON.
 */
@Command(name = "changes", mixinStandardHelpOptions = true,
        description = {"Print the rows of crsql_changes with db_version > SINCE as JSON lines, ordered by db_version,"
                + " site_id and seq: {\"table\", \"pk\" (packed, hex), \"pk_values\", \"cid\" (\"-1\" is the row's"
                + " sentinel), \"val\", \"col_version\", \"db_version\", \"site_id\" (hex), \"cl\", \"seq\", \"ts\"}.",
                "A db version is its origin's: with --site only the changes one node made."
                        + " BLOB values print as {\"blob\": \"<hex>\"}. Besides the application's tables you see"
                        + " __corrosion_node_slots: the key slots nodes claimed, which replicate too."})
final class ChangesCommand implements Callable<Integer> {
    static final String QUERY = "SELECT \"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts"
            + " FROM crsql_changes WHERE db_version > ?";

    @Spec
    CommandSpec spec;

    @Mixin
    Database database;

    @Option(names = {"-s", "--since"}, defaultValue = "0", paramLabel = "VERSION",
            description = "Only changes with a db_version above this (default: ${DEFAULT-VALUE}, everything).")
    long since;

    @Option(names = "--site", paramLabel = "SITE_ID", description = "Only changes made by this site (32 hex digits).")
    String site;

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE", description = "Only changes of this table.")
    String table;

    @Option(names = "--limit", paramLabel = "N", description = "At most N changes.")
    Long limit;

    @Override
    public Integer call() throws SQLException, IOException {
        if (since < 0) {
            throw new ParameterException(spec.commandLine(), "--since must be 0 or more, not " + since);
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
        }
        byte[] siteId = site == null ? null : siteId(site);
        String sql = QUERY + (siteId == null ? "" : " AND site_id = ?") + (table == null ? "" : " AND \"table\" = ?")
                + " ORDER BY db_version, site_id, seq"
                + (limit == null ? "" : " LIMIT " + limit);
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = database.open(); PreparedStatement ps = c.prepareStatement(sql);
                JsonLines json = new JsonLines(out)) {
            int p = 1;
            ps.setLong(p++, since);
            if (siteId != null) {
                ps.setBytes(p++, siteId);
            }
            if (table != null) {
                ps.setString(p, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] pk = rs.getBytes(2);
                    json.start()
                            .field("table", rs.getString(1))
                            .field("pk", HexFormat.of().formatHex(pk))
                            .array("pk_values", PackedColumns.unpack(pk))
                            .field("cid", rs.getString(3))
                            .field("val", rs.getObject(4))
                            .field("col_version", rs.getLong(5))
                            .field("db_version", rs.getLong(6))
                            .field("site_id", HexFormat.of().formatHex(rs.getBytes(7)))
                            .field("cl", rs.getLong(8))
                            .field("seq", rs.getLong(9))
                            .field("ts", rs.getString(10))
                            .end();
                }
            }
        }
        return 0;
    }

    private byte[] siteId(String hex) {
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            throw new ParameterException(spec.commandLine(), "--site wants a site id of 32 hex digits, not '" + hex + "'");
        }
        return HexFormat.of().parseHex(hex);
    }
}
