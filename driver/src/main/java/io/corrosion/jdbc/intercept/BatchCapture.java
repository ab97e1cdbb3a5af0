package io.corrosion.jdbc.intercept;

import java.sql.SQLException;
import java.util.List;

/**
 * Work a statement hook does once for a whole JDBC batch of a prepared statement instead of row by row: the CRR engine
 * captures a large batch of plain INSERTs with one statement ({@code StatementHook#batchCapture}).
 */
public interface BatchCapture {

    /** Runs the batch itself. */
    @FunctionalInterface
    interface Execution {
        int[] run() throws SQLException;
    }

    /**
     * Runs {@code execution} (the batch) with whatever the hook does around it, and returns its update counts.
     *
     * @param boundValues the value the statement's {@link ParameterBinder} bound to each row, in order
     */
    int[] execute(List<Object> boundValues, Execution execution) throws SQLException;
}
