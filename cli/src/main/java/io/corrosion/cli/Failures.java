package io.corrosion.cli;

import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a failed command prints: one line, {@code error: <what went wrong>}, with the SQLState of a database error,
 * and exit code 1. The stack trace only with {@code CORROSION_CLI_TRACE=1}.
 */
final class Failures implements IExecutionExceptionHandler {
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
        commandLine.getErr().println("error: " + describe(e));
        if ("1".equals(System.getenv("CORROSION_CLI_TRACE"))) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return FAILED;
    }

    static String describe(Throwable e) {
        if (e instanceof SQLException sql) {
            return sql.getMessage() + (sql.getSQLState() == null ? "" : " (SQLState " + sql.getSQLState() + ")");
        }
        if (e instanceof CliException) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e.getCause() == null || e.getCause() == e ? message : message + ": " + describe(e.getCause());
    }
}
