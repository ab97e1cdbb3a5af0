package io.corrosion.jdbc.proxy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What a statement proxy delegates to once it closed and its sqlite-jdbc statement went back to the connection's
 * {@link StatementCache}: a statement that is closed, so the proxy answers as a closed sqlite-jdbc statement would
 * ({@code isClosed()} true, {@code close()} does nothing, everything else SQLState HY010) and can never reach the
 * statement another proxy now uses.
 */
final class ClosedStatement {
    private ClosedStatement() {}

    private static final InvocationHandler CLOSED = (proxy, method, args) -> switch (method.getName()) {
        case "isClosed" -> true;
        case "close" -> null;
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> "closed statement";
        default -> throw new SQLException("The statement is closed", "HY010");
    };

    static final PreparedStatement INSTANCE = (PreparedStatement) Proxy.newProxyInstance(
            ClosedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, CLOSED);
}
