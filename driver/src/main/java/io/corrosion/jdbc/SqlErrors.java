package io.corrosion.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The funnel every {@link SQLException} leaving the driver passes through: sqlite-jdbc leaves SQLState null, this
 * maps SQLite's (extended) result code to a real one. The mapping is documented in the README ("Errors").
 */
public final class SqlErrors {
    /** Connection is closed. */
    public static final String CONNECTION_CLOSED = "08003";
    /** Bad connection URL or property. */
    public static final String BAD_CONNECTION_PROPERTY = "08001";
    /** Not supported by SQLite or this driver. */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** Anything SQLite or sqlite-jdbc reported without a more precise code. */
    public static final String GENERAL_ERROR = "HY000";

    private static final Pattern RESULT_CODE_IN_MESSAGE = Pattern.compile("\\[(SQLITE_[A-Z_]+)\\]");
    /**
     * An SQLState the driver's own SQL functions put in their error text, which reaches the application as an
     * SQLITE_ERROR: e.g. "(SQLSTATE 22003)" when no generated key is left.
     */
    private static final Pattern DRIVER_STATE_IN_MESSAGE = Pattern.compile("\\(SQLSTATE ([0-9A-Z]{5})\\)");
    /**
     * sqlite-jdbc's text for an exception that the driver's SQL functions threw: the error's own text after its class,
     * inside SQLITE_ERROR's generic words, e.g. "[SQLITE_ERROR] SQL error or missing database
     * (java.sql.SQLException: [SQLITE_CONSTRAINT_FOREIGNKEY] ... (SQLSTATE 23503))".
     */
    private static final Pattern FUNCTION_ERROR = Pattern.compile(
            "\\[SQLITE_ERROR] SQL error or missing database \\((?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*: (.*)\\)", Pattern.DOTALL);

    /** Why an UPSERT's conflict target may match no index on a replicated table. */
    private static final String UPSERT_ON_UNIQUE_HINT = ". On a replicated table, UNIQUE constraints besides the primary"
            + " key are enforced by checks for local writes, not by a unique index (a merge must never fail on one), so"
            + " ON CONFLICT can name the primary key or one UNIQUE constraint, by exactly its columns (no COLLATE, no"
            + " WHERE: not a partial index), in an INSERT's only ON CONFLICT clause, not in a trigger's body, and not"
            + " under OR FAIL, OR ROLLBACK or OR REPLACE where the rows bring the key; else"
            + " UPDATE first and INSERT if no row changed, or INSERT OR REPLACE / INSERT OR IGNORE, which these checks"
            + " honour";

    /** What a FOREIGN KEY may refer to, and why a UNIQUE column of a replicated table is not it. */
    private static final String FOREIGN_KEY_MISMATCH_HINT = ". A FOREIGN KEY refers to its parent's primary key or to"
            + " columns with a unique index. On a replicated table, UNIQUE constraints besides the primary key are"
            + " enforced by checks for local writes, not by a unique index (a merge must never fail on one), so there a"
            + " FOREIGN KEY can refer only to the primary key: refer to it, or leave foreign_keys off for this schema";

    private SqlErrors() {}

    /** The exception to throw in place of {@code e}: {@code e} itself if it already has an SQLState. */
    public static SQLException translate(SQLException e) {
        if (e.getSQLState() != null) {
            return e;
        }
        SQLiteErrorCode code = resultCode(e);
        String state = code == null ? stateOfMessage(e.getMessage()) : sqlState(code, e.getMessage());
        String message = String.valueOf(e.getMessage());
        Matcher function = FUNCTION_ERROR.matcher(message);
        if (code == SQLiteErrorCode.SQLITE_ERROR && function.matches()) {
            message = function.group(1); // the driver's own words, with their SQLState
            if (RESULT_CODE_IN_MESSAGE.matcher(message).lookingAt()) { // SQLite's words: as SQLite has them
                message = DRIVER_STATE_IN_MESSAGE.matcher(message).replaceAll("").stripTrailing();
            }
        }
        if (message.contains("ON CONFLICT clause does not match")) {
            message += UPSERT_ON_UNIQUE_HINT;
        }
        if (message.contains("foreign key mismatch")) {
            message += FOREIGN_KEY_MISMATCH_HINT;
        }
        if (e instanceof BatchUpdateException batch) {
            int errorCode = code == null ? e.getErrorCode() : code.code & 0xff;
            return new BatchUpdateException(message, state, errorCode, batch.getLargeUpdateCounts(), e);
        }
        if (code != null) {
            return new CorrosionSQLException(message, code, state, e);
        }
        if (CONNECTION_CLOSED.equals(state)) {
            return new SQLNonTransientConnectionException(message, state, e.getErrorCode(), e);
        }
        if (e instanceof SQLFeatureNotSupportedException || FEATURE_NOT_SUPPORTED.equals(state)) {
            // frameworks catch it by class (an optional JDBC method sqlite-jdbc does not implement, a cursor kind or
            // holdability SQLite does not have)
            return new SQLFeatureNotSupportedException(message, FEATURE_NOT_SUPPORTED, e.getErrorCode(), e);
        }
        return new SQLException(message, state, e.getErrorCode(), e);
    }

    /** A closed-connection error for use before delegating to a closed connection. */
    public static SQLException connectionClosed() {
        return new SQLNonTransientConnectionException(
                "The connection is closed; get a new one from the driver or the pool", CONNECTION_CLOSED);
    }

    /** The SQLState for an SQLite result code; {@code message} refines SQLITE_ERROR, which SQLite uses widely. */
    public static String sqlState(SQLiteErrorCode code, String message) {
        String name = code.name();
        if (name.startsWith("SQLITE_CONSTRAINT")) {
            // The checks that enforce UNIQUE on replicated tables raise SQLite's own text from a trigger; SQLite's
            // ON DELETE / ON UPDATE RESTRICT is a trigger of its own too.
            if (name.equals("SQLITE_CONSTRAINT_TRIGGER")) {
                String text = String.valueOf(message);
                if (text.contains("UNIQUE constraint failed")) {
                    return "23505";
                }
                if (text.contains("FOREIGN KEY constraint failed")) {
                    return "23503";
                }
            }
            return constraintState(name);
        }
        if (name.startsWith("SQLITE_IOERR") || name.equals("SQLITE_NOLFS")) {
            return "58030";
        }
        if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED") || name.equals("SQLITE_PROTOCOL")) {
            return "40001";
        }
        if (name.startsWith("SQLITE_READONLY")) {
            return "25006";
        }
        if (name.startsWith("SQLITE_CANTOPEN")) {
            return "08001";
        }
        if (name.startsWith("SQLITE_CORRUPT") || name.equals("SQLITE_NOTADB")) {
            return "XX001";
        }
        if (name.equals("SQLITE_ABORT_ROLLBACK")) {
            return "40000";
        }
        return switch (name) {
            case "SQLITE_ERROR" -> errorState(message);
            case "SQLITE_PERM", "SQLITE_AUTH" -> "42501";
            case "SQLITE_ABORT", "SQLITE_INTERRUPT" -> "57014";
            case "SQLITE_NOMEM" -> "53200";
            case "SQLITE_FULL" -> "53100";
            case "SQLITE_TOOBIG" -> "54000";
            case "SQLITE_MISMATCH" -> "22000";
            case "SQLITE_MISUSE" -> "HY010";
            case "SQLITE_RANGE" -> "07009";
            case "SQLITE_SCHEMA" -> "40001";
            default -> GENERAL_ERROR;
        };
    }

    private static String constraintState(String name) {
        return switch (name) {
            case "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE" -> "23505";
            case "SQLITE_CONSTRAINT_NOTNULL" -> "23502";
            case "SQLITE_CONSTRAINT_FOREIGNKEY" -> "23503";
            case "SQLITE_CONSTRAINT_CHECK" -> "23514";
            default -> "23000";
        };
    }

    private static String errorState(String message) {
        Matcher driver = DRIVER_STATE_IN_MESSAGE.matcher(String.valueOf(message));
        if (driver.find()) {
            return driver.group(1);
        }
        if (String.valueOf(message).contains("ON CONFLICT clause does not match")) {
            return FEATURE_NOT_SUPPORTED; // see UPSERT_ON_UNIQUE_HINT
        }
        String transactionState = transactionState(message);
        if (transactionState != null) {
            return transactionState;
        }
        return isSyntaxOrSchemaError(message) ? "42000" : GENERAL_ERROR;
    }

    /**
     * SQLite's refusals that depend on whether a transaction is open: {@code 25001} (active SQL transaction) for what
     * cannot run inside one ({@code BEGIN}, {@code VACUUM}, a journal mode change), {@code 25000} (invalid transaction
     * state) for a commit or rollback with none open; null for anything else.
     */
    private static String transactionState(String message) {
        String m = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (m.contains("within a transaction")) {
            return "25001";
        }
        if (m.contains("no transaction is active")) {
            return "25000";
        }
        return null;
    }

    private static boolean isSyntaxOrSchemaError(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("syntax error") || m.contains("no such") || m.contains("incomplete input")
                || m.contains("already exists") || m.contains("has no column") || m.contains("ambiguous column")
                || m.contains("unrecognized token") || m.contains("no tables specified")
                || m.contains("values were supplied") || m.contains("wrong number of arguments");
    }

    private static SQLiteErrorCode resultCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite && sqlite.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
                return sqlite.getResultCode();
            }
        }
        Matcher m = RESULT_CODE_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
        if (m.find()) {
            try {
                return SQLiteErrorCode.valueOf(m.group(1));
            } catch (IllegalArgumentException unknownName) {
                return null;
            }
        }
        return null;
    }

    /** sqlite-jdbc's own errors carry no result code; these are the ones it raises. */
    private static String stateOfMessage(String message) {
        String m = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (m.contains("database has been closed") || m.contains("database connection closed")) {
            return CONNECTION_CLOSED;
        }
        if (m.contains("not supported") || m.contains("not implemented") || m.contains("unsupported")
                || m.startsWith("sqlite only supports")) { // TYPE_FORWARD_ONLY, CONCUR_READ_ONLY, CLOSE_CURSORS_AT_COMMIT
            return FEATURE_NOT_SUPPORTED;
        }
        if (m.startsWith("bad value for type")) { // getObject(i, Long.class) of a TEXT or BLOB value
            return "22018";
        }
        if (m.contains("closed") || m.contains("not executing") || m.contains("auto-commit mode")) {
            return "HY010";
        }
        if (m.contains("out of range") || m.contains("invalid column") || m.contains("no such column")
                || m.contains("does not exist") || m.contains("column index")) {
            return "07009";
        }
        return GENERAL_ERROR;
    }
}
