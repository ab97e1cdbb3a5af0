package io.corrosion.jdbc.intercept;

import java.util.List;
import java.util.Optional;

/**
 * What one SQL statement is, decided once per SQL text and cached, immutable. A hook that must look into the statement
 * can parse a copy of its own with {@link Interceptor#parse(String)}.
 *
 * @param kind           what the statement does
 * @param sql            the statement's own text (one statement of a multi-statement string)
 * @param tables         target tables, unquoted and without schema: the table written by DML, created/altered/dropped
 *                       by DDL, indexed by CREATE INDEX; for a read that reaches the hook ({@code mentionsInternal}),
 *                       the tables it reads (JSqlParser's), empty for other reads
 * @param objectName     the index, view, trigger or pragma named by the statement, unquoted; null if none
 * @param insertColumns  the column list of an INSERT/REPLACE/UPSERT as written, unquoted; empty if none was written
 *                       (then values go to every column in table order)
 * @param orAction       {@code INSERT OR <action>}/{@code UPDATE OR <action>}; REPLACE INTO is {@code REPLACE}
 * @param onConflict     the INSERT has an {@code ON CONFLICT} clause (UPSERT, including DO NOTHING)
 * @param onConflictIgnoresAny its last {@code ON CONFLICT} clause is {@code DO NOTHING} without a target: a row that
 *                       collides on any uniqueness constraint is skipped, as {@code INSERT OR IGNORE} skips it
 * @param returning      the statement has a {@code RETURNING} clause
 * @param temporary      CREATE TEMP/TEMPORARY TABLE, or a target in the {@code temp} schema
 * @param schema         the schema the target table was qualified with as written ({@code main}, {@code temp}, an
 *                       attached database's name), unquoted; null if unqualified
 * @param mentionsInternal the text names something the driver owns or answers itself: a name matching
 *                       {@link io.corrosion.jdbc.InternalTables} (crsql_*), or Hibernate's id-generator column
 *                       {@code next_val} ({@link GeneratorStatements}); such reads reach the statement hook
 * @param starOrNatural  the text has a {@code *} or {@code t.*} result column or a NATURAL join, which
 *                       {@link StarExpansion} rewrites over tables with the driver's hidden key
 */
public record StatementPlan(
        StatementKind kind,
        String sql,
        List<String> tables,
        String objectName,
        List<String> insertColumns,
        ConflictResolution orAction,
        boolean onConflict,
        boolean onConflictIgnoresAny,
        boolean returning,
        boolean temporary,
        String schema,
        boolean mentionsInternal,
        boolean starOrNatural) {

    public StatementPlan {
        tables = List.copyOf(tables);
        insertColumns = List.copyOf(insertColumns);
    }

    /** The first target table, if any. */
    public Optional<String> table() {
        return tables.isEmpty() ? Optional.empty() : Optional.of(tables.get(0));
    }

    /** True if the INSERT's column list names this column (case-insensitive, as SQLite compares identifiers). */
    public boolean insertsColumn(String column) {
        for (String c : insertColumns) {
            if (c.equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    /** True if the target table lies in the database file itself: unqualified or {@code main.}, and not TEMP. */
    public boolean targetsMainSchema() {
        return !temporary && (schema == null || schema.equalsIgnoreCase("main"));
    }

    /** A read that names nothing internal: the proxy runs it without calling the hook. */
    public boolean isPlainRead() {
        return kind == StatementKind.READ && !mentionsInternal;
    }

    /** This plan with the tables a read reads, as JSqlParser found them. */
    StatementPlan withTables(List<String> readTables) {
        return new StatementPlan(kind, sql, readTables, objectName, insertColumns, orAction, onConflict,
                onConflictIgnoresAny, returning, temporary, schema, mentionsInternal, starOrNatural);
    }
}
