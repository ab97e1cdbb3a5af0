package io.corrosion.cli;

import io.corrosion.jdbc.CorrosionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The database a command works on: a file path or a whole {@code jdbc:corrosion:} URL, plus connection properties.
 * Without {@code bind}/{@code seeds} the file is opened as a local node: nothing is sent anywhere.
 */
final class Database {
    @Parameters(index = "0", paramLabel = "DATABASE",
            description = "A database file, or a jdbc:corrosion: URL (then its keys apply, e.g. ?busy_timeout=10000).")
    String database;

    @Option(names = {"-P", "--property"}, paramLabel = "KEY=VALUE",
            description = "A connection property (see the README's property table); repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--create", description = "Create the file if it does not exist (default: refuse, so a typo does not make an empty database).")
    boolean create;

    String url() {
        return database.startsWith("jdbc:") ? database : "jdbc:corrosion:" + database;
    }

    Connection open() throws SQLException {
        if (database.startsWith("jdbc:") && !database.startsWith("jdbc:corrosion:")) {
            throw new CliException("not a jdbc:corrosion: URL: " + database);
        }
        Properties info = new Properties();
        info.putAll(properties);
        // The file as the driver reads it, a URL's too (:memory: has none)
        Optional<String> file = CorrosionConfig.parse(url(), info).databaseKey();
        if (file.isPresent() && !create && !Files.exists(Path.of(file.get()))) {
            throw new CliException("no database file " + file.get() + " (add --create to make one)");
        }
        return DriverManager.getConnection(url(), info);
    }
}
