package io.corrosion.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corrosion sql}: runs statements against a database file through the driver (so DDL makes CRRs and writes
 * are captured exactly as an application's) and prints rows as a table or as JSON lines.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run SQL statements against a database through the jdbc:corrosion: driver, in order, each in"
                + " its own transaction; print the rows of queries and the row count of writes.",
                "Writes through this command are replicated like any other once a node with bind/seeds opens the file."
                        + " Do not write to a file that a running node holds in another JVM: generated keys are"
                        + " allocated per JVM (reading is fine)."})
final class SqlCommand implements Callable<Integer> {
    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Mixin
    Database database;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SQL", description = "Statements to run.")
    List<String> statements;

    @Option(names = {"-f", "--format"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "How rows are printed: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws SQLException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = database.open(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        print(rs, out);
                    }
                } else if (format == Format.table) {
                    int count = s.getUpdateCount();
                    out.println(count < 0 ? "ok" : count + (count == 1 ? " row" : " rows") + " changed");
                }
            }
        } finally {
            out.flush();
        }
        return 0;
    }

    private void print(ResultSet rs, PrintWriter out) throws SQLException, IOException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            labels.add(meta.getColumnLabel(i));
        }
        if (format == Format.json) {
            try (JsonLines json = new JsonLines(out)) {
                while (rs.next()) {
                    json.start();
                    for (int i = 1; i <= n; i++) {
                        json.field(labels.get(i - 1), rs.getObject(i));
                    }
                    json.end();
                }
            }
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(labels);
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(text(rs.getObject(i)));
            }
            rows.add(row);
        }
        Tables.print(rows, out);
        out.println("(" + (rows.size() - 1) + (rows.size() == 2 ? " row)" : " rows)"));
    }

    private static String text(Object v) {
        if (v == null) {
            return "NULL";
        }
        return v instanceof byte[] b ? "x'" + HexFormat.of().formatHex(b) + "'" : v.toString();
    }
}
