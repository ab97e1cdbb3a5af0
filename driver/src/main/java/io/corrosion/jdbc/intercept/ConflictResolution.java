package io.corrosion.jdbc.intercept;

/** The {@code OR <action>} of {@code INSERT OR ...}/{@code UPDATE OR ...}; {@code REPLACE INTO} is {@link #REPLACE}. */
public enum ConflictResolution {
    NONE, ROLLBACK, ABORT, FAIL, IGNORE, REPLACE;

    static ConflictResolution ofKeyword(String upperCaseWord) {
        for (ConflictResolution r : values()) {
            if (r != NONE && r.name().equals(upperCaseWord)) {
                return r;
            }
        }
        return NONE;
    }
}
