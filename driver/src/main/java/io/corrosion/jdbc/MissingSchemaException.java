package io.corrosion.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * Changes could not be merged because they name tables or columns this node does not have yet: applications migrate
 * each node themselves, so changes can arrive before the schema they need. Nothing of the batch was merged; the
 * replication layer keeps the changes and applies them once the schema arrives.
 *
 * <p>SQLState {@code 42S02} when a table is missing, {@code 42S22} when only columns are.
 */
public final class MissingSchemaException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> missing;

    /**
     * @param missing what is missing, as {@code table} or {@code table.column}
     */
    public MissingSchemaException(String message, String sqlState, List<String> missing) {
        super(message, sqlState);
        this.missing = List.copyOf(missing);
    }

    /** The missing tables ({@code table}) and columns ({@code table.column}), in the order the changes named them. */
    public List<String> missing() {
        return missing;
    }
}
