package io.corrosion.jdbc.crr;

import java.sql.SQLException;

/** SQLStates of the errors the engine raises. */
final class CrrErrors {
    /** A table shape a CRR cannot have (cr-sqlite's restrictions): feature not supported. */
    static final String SCHEMA_NOT_SUPPORTED = "0A000";
    /** A change that names a table that is not a CRR here. */
    static final String UNKNOWN_TABLE = "42S02";
    /** A change that names a column the table does not have. */
    static final String UNKNOWN_COLUMN = "42S22";
    /** A malformed change (bad packed key, bad site id, wrong value type). */
    static final String BAD_CHANGE = "22023";
    /** Metadata that contradicts the data (e.g. a clock without its row). */
    static final String INTERNAL = "XX000";

    private CrrErrors() {}

    static SQLException badChange(String message, Throwable cause) {
        return new SQLException(message, BAD_CHANGE, cause);
    }
}
