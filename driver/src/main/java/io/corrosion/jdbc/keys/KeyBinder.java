package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.keys.KeyTargets.KeyTarget;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds a freshly allocated key to the parameter the rewrite appended to a prepared single-row INSERT, before each
 * execution and each batch row: the cheap path, one {@code setLong} per row instead of an SQL function call.
 */
final class KeyBinder implements ParameterBinder {
    private final ConnectionKeys keys;
    private final KeyAllocator allocator;
    private final KeyTarget target;
    private final int parameterIndex;
    private long last;

    KeyBinder(ConnectionKeys keys, KeyAllocator allocator, KeyTarget target, int parameterIndex) {
        this.keys = keys;
        this.allocator = allocator;
        this.target = target;
        this.parameterIndex = parameterIndex;
    }

    @Override
    public int appendedParameters() {
        return 1;
    }

    @Override
    public void bind(PreparedStatement statement) throws SQLException {
        last = allocator.allocate(keys, target);
        statement.setLong(parameterIndex, last);
    }

    /** The key bound last: a fresh, node-private one. */
    @Override
    public Object lastBound() {
        return last;
    }
}
