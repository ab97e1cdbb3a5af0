package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.ChangeColumns;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters bound to a prepared {@code INSERT INTO crsql_changes}, recorded beside sqlite-jdbc's own binding, so
 * that a batch can be merged at once ({@code CrrApi.applyChanges}) instead of row by row through the view's trigger.
 * If any row of a batch was bound in a way it does not follow (a stream, a Clob, ...) or its values do not make a
 * change, the batch runs as written and the trigger judges every row.
 */
final class ChangeRecorder {
    private static final Object UNKNOWN = new Object();

    /** For each parameter (0-based), its column's index in {@link ChangeColumns#NAMES}. */
    private final int[] column;
    private final Object[] bound;
    private final List<Change> batch = new ArrayList<>();
    private boolean incomplete;

    ChangeRecorder(List<String> parameterColumns) {
        column = new int[parameterColumns.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = ChangeColumns.NAMES.indexOf(parameterColumns.get(i));
        }
        bound = new Object[column.length];
        Arrays.fill(bound, UNKNOWN);
    }

    void set(int parameterIndex, Object value) {
        if (parameterIndex >= 1 && parameterIndex <= bound.length) {
            bound[parameterIndex - 1] = value;
        }
    }

    void unknown(int parameterIndex) {
        set(parameterIndex, UNKNOWN);
    }

    void clearParameters() {
        Arrays.fill(bound, UNKNOWN);
    }

    /** The change the bound parameters make; null if they do not make one this recorder can vouch for. */
    Change current() {
        Object[] row = new Object[ChangeColumns.NAMES.size()];
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == UNKNOWN) {
                return null;
            }
            row[column[i]] = bound[i];
        }
        try {
            return ChangeColumns.of(row);
        } catch (SQLException | RuntimeException e) {
            return null; // the trigger reports it, with its own message
        }
    }

    /** Records the current row for the batch (sqlite-jdbc batches it too). */
    void addBatch() {
        Change c = current();
        if (c == null) {
            incomplete = true;
        } else {
            batch.add(c);
        }
    }

    /** The batch's changes if every row was recorded; null if the batch must run as written. Clears the record. */
    List<Change> takeBatch() {
        List<Change> out = incomplete || batch.isEmpty() ? null : List.copyOf(batch);
        clearBatch();
        return out;
    }

    void clearBatch() {
        batch.clear();
        incomplete = false;
    }
}
