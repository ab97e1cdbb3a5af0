package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.CorrosionDatabase;
import io.corrosion.jdbc.Reentrant;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The driver's own connection for reading the committed schema of a file ({@link KeyTables}), opened on first use and
 * closed with the file. An in-memory database has no second connection; its one connection reads (it has no other
 * writer to race with).
 */
final class SchemaConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaConnection.class);

    private final CorrosionDatabase database;
    private SQLiteConnection connection;
    private boolean closed;

    SchemaConnection(CorrosionDatabase database) {
        this.database = database;
    }

    /** The reader of the committed schema, for a lookup made on {@code application}. */
    KeyTables.SchemaReader readerFor(SQLiteConnection application) {
        if (database.path().isEmpty()) {
            return new KeyTables.SchemaReader() {
                @Override
                public <T> T read(KeyTables.SchemaRead<T> read) throws SQLException {
                    return Reentrant.run(application, () -> read.read(application)); // may run inside an INSERT
                }
            };
        }
        return new KeyTables.SchemaReader() {
            @Override
            public <T> T read(KeyTables.SchemaRead<T> read) throws SQLException {
                synchronized (SchemaConnection.this) {
                    if (closed) {
                        throw new SQLException("Database is shut down", "08003");
                    }
                    if (connection == null) {
                        connection = database.openPhysicalConnection();
                    }
                    return read.read(connection);
                }
            }
        };
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("Closing the schema connection of {} failed", database, e);
            }
            connection = null;
        }
    }
}
