package io.corrosion.jdbc;

import java.sql.Connection;
import java.util.Optional;

/**
 * What a {@code jdbc:corrosion:} connection offers beyond JDBC. Reach it with
 * {@code connection.unwrap(CorrosionConnection.class)}, also through a pool's wrapper.
 *
 * <p>Later issues add the site id, the db version, version tokens and {@code awaitVersion}, cluster members and
 * change listeners; this interface holds only what is true today.
 */
public interface CorrosionConnection extends Connection {

    /** The canonical path of the database file; empty for an in-memory database. */
    Optional<String> databasePath();

    /** This connection's configuration, parsed from its URL and properties. */
    CorrosionConfig config();
}
