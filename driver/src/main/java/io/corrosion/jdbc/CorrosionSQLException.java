package io.corrosion.jdbc;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * An error from SQLite, as sqlite-jdbc reported it but with a real SQLState. It stays a {@link SQLiteException} so
 * code written against sqlite-jdbc ({@code catch (SQLiteException e)}, {@code e.getResultCode()}) keeps working;
 * {@link #getErrorCode()} is SQLite's primary result code, as in sqlite-jdbc; {@link #getResultCode()} the extended
 * one; the original exception is the cause.
 */
public final class CorrosionSQLException extends SQLiteException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    CorrosionSQLException(String message, SQLiteErrorCode resultCode, String sqlState, Throwable cause) {
        super(message, resultCode);
        this.sqlState = sqlState;
        initCause(cause);
    }

    @Override
    public String getSQLState() {
        return sqlState;
    }
}
