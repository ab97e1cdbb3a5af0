package io.corrosion.jdbc;

import java.sql.Connection;
import java.util.Optional;

/**
 * What a {@code jdbc:corrosion:} connection offers beyond JDBC. Reach it with
 * {@code connection.unwrap(CorrosionConnection.class)}, also through a pool's wrapper.
 *
 * <p>Beside the file and configuration it gives the CRR engine's API ({@link CrrApi}): site id, db version, changes
 * by version, merging changes, commit listeners. Later issues add version tokens, {@code awaitVersion} and cluster
 * members.
 */
public interface CorrosionConnection extends Connection, CrrApi {

    /** The canonical path of the database file; empty for an in-memory database. */
    Optional<String> databasePath();

    /** This connection's configuration, parsed from its URL and properties. */
    CorrosionConfig config();
}
