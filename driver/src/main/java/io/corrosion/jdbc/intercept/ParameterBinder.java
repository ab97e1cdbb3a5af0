package io.corrosion.jdbc.intercept;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Parameters a rewrite appended to a prepared statement, bound by the driver right before each execution and each
 * {@code addBatch()}, after the application bound its own. A rewrite that needs a fresh value per row (a generated
 * key) this way costs a {@code setLong} instead of an SQL function call per row.
 */
public interface ParameterBinder {

    /** How many parameters the rewrite appended after the application's own; hidden from ParameterMetaData. */
    int appendedParameters();

    /**
     * Binds the appended parameters of the next execution or batch row of {@code statement} (the raw sqlite-jdbc
     * statement, so indexes past the application's own are reachable).
     */
    void bind(PreparedStatement statement) throws SQLException;

    /** The value {@link #bind} bound last (of the only appended parameter), for a {@link BatchCapture}; null if none. */
    default Object lastBound() {
        return null;
    }
}
