package io.corrosion.jdbc.intercept;

/** What one SQL statement does, as far as replication cares. */
public enum StatementKind {
    /** SELECT, VALUES, EXPLAIN, or a WITH whose main statement is a SELECT. */
    READ,
    /** INSERT without ON CONFLICT and without OR REPLACE (OR IGNORE/ABORT/FAIL/ROLLBACK stay here). */
    INSERT,
    /** INSERT ... ON CONFLICT ... DO UPDATE / DO NOTHING. */
    UPSERT,
    /** REPLACE INTO, INSERT OR REPLACE. */
    REPLACE,
    UPDATE,
    DELETE,
    CREATE_TABLE,
    ALTER_TABLE,
    DROP_TABLE,
    CREATE_INDEX,
    DROP_INDEX,
    /** BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE. */
    TRANSACTION,
    PRAGMA,
    /** Anything else: views, triggers, virtual tables, ATTACH, VACUUM, ANALYZE, sqlite-jdbc's backup/restore. */
    OTHER;

    /** True for statements that change rows of a table. */
    public boolean isDml() {
        return switch (this) {
            case INSERT, UPSERT, REPLACE, UPDATE, DELETE -> true;
            default -> false;
        };
    }

    /** True for INSERT, UPSERT and REPLACE. */
    public boolean isInsert() {
        return this == INSERT || this == UPSERT || this == REPLACE;
    }

    /** True for statements that change the schema of a table or its indexes. */
    public boolean isDdl() {
        return switch (this) {
            case CREATE_TABLE, ALTER_TABLE, DROP_TABLE, CREATE_INDEX, DROP_INDEX -> true;
            default -> false;
        };
    }
}
