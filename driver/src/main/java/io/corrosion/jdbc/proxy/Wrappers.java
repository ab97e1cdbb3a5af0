package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import java.sql.SQLException;

/** {@code unwrap}/{@code isWrapperFor} of every proxy: the proxy itself, or the sqlite-jdbc object it wraps. */
final class Wrappers {
    private Wrappers() {}

    static <T> T unwrap(Object proxy, Object delegate, Class<T> iface) throws SQLException {
        if (iface.isInstance(proxy)) {
            return iface.cast(proxy);
        }
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        throw new SQLException("Not a wrapper for " + iface.getName() + "; this " + proxy.getClass().getSimpleName()
                + " unwraps to itself and to sqlite-jdbc's " + delegate.getClass().getName(), SqlErrors.GENERAL_ERROR);
    }

    static boolean isWrapperFor(Object proxy, Object delegate, Class<?> iface) {
        return iface.isInstance(proxy) || iface.isInstance(delegate);
    }
}
