package io.corrosion.jdbc;

import io.corrosion.jdbc.replication.TransactionGate;
import java.sql.SQLException;

/** For tests in other packages: what the driver keeps package-private. */
public final class TestAccess {
    private TestAccess() {}

    /** The extension of the open database a jdbc:corrosion: URL or path names. */
    public static DatabaseExtension extension(String urlOrPath) throws SQLException {
        return database(urlOrPath).extension();
    }

    /** The transaction gate of the open database a jdbc:corrosion: URL or path names. */
    public static TransactionGate transactionGate(String urlOrPath) throws SQLException {
        return database(urlOrPath).replication().transactionGate();
    }

    private static CorrosionDatabase database(String urlOrPath) throws SQLException {
        return DatabaseRegistry.global().find(CorrosionDriver.databaseKey(urlOrPath))
                .orElseThrow(() -> new IllegalStateException("not open: " + urlOrPath));
    }
}
