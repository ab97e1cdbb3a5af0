package io.corrosion.jdbc.intercept;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a table's single-column integer primary key a rowid alias, so that the key the driver allocates is also the
 * row's rowid and {@code last_insert_rowid()}, {@code getGeneratedKeys()} and jOOQ's
 * {@code where _rowid_ = last_insert_rowid()} all see it.
 *
 * <p>SQLite makes a column a rowid alias only when its declared type is exactly {@code INTEGER}. Hibernate declares
 * {@code bigint} keys (and, for some mappings, untyped ones), jOOQ {@code int8}/{@code int}: their rowid differs from
 * the key. The rewrite replaces the declared type by {@code INTEGER} and keeps the original in a comment right after
 * it, {@code id INTEGER /*corrosion:declared=bigint*&#47; not null}; SQLite stores the statement text as written, so
 * {@link #declaredKeyTypes(String)} reads the declared type back from {@code sqlite_master.sql}, and the driver's
 * {@code DatabaseMetaData.getColumns} reports it (Hibernate's schema validation compares it).
 *
 * <p>Values keep working as before: all these types have INTEGER affinity already (an untyped column had none; its
 * keys must now be integers, which a generated key always is). Not as before, and not rewritten so: a key that is no
 * integer (text that is no number, {@code 1.5}, a blob) fails with SQLite's datatype mismatch, and a NULL one gets a
 * key, where SQLite stores them in a key that is not the rowid. A STRICT table's key keeps its type: SQLite refuses
 * both there (its type, and NOT NULL for a STRICT table's key), which an application that declares STRICT relies on.
 */
public final class RowidKeyDdl {
    static final String MARKER_PREFIX = "/*corrosion:declared=";
    static final String MARKER_SUFFIX = "*/";

    private RowidKeyDdl() {}

    /** True for a declared type with SQLite's INTEGER affinity (the name contains "INT") or no type at all. */
    public static boolean isIntegerLike(String declaredType) {
        return declaredType.isEmpty() || declaredType.toUpperCase(Locale.ROOT).contains("INT");
    }

    /**
     * The key column the rewrite would turn into a rowid alias: the table's only primary-key column, integer-like,
     * not already {@code INTEGER}, in a rowid table that is not STRICT, and not {@code PRIMARY KEY DESC} (which SQLite
     * never aliases).
     */
    public static Optional<CreateTableShape.Column> convertibleKey(CreateTableShape shape) {
        if (shape.withoutRowid() || shape.strict() || shape.primaryKey().size() != 1) {
            return Optional.empty();
        }
        return shape.column(shape.primaryKey().get(0))
                .filter(c -> !c.primaryKeyDesc() && !c.generated())
                .filter(c -> isIntegerLike(c.declaredType()) && !c.declaredType().equalsIgnoreCase("INTEGER"))
                .filter(c -> !c.declaredType().contains(MARKER_SUFFIX));
    }

    /** {@code sql} with the key column's type replaced by {@code INTEGER} and the declared type kept in a marker. */
    public static String rewrite(String sql, CreateTableShape.Column key) {
        String replacement = "INTEGER " + MARKER_PREFIX + key.declaredType() + MARKER_SUFFIX;
        if (key.typeStart() == key.typeEnd()) {
            replacement = " " + replacement; // untyped: "id," becomes "id INTEGER /*...*/,"
        }
        return sql.substring(0, key.typeStart()) + replacement + sql.substring(key.typeEnd());
    }

    /**
     * The declared types a rewrite kept in {@code createTableSql} (as stored in {@code sqlite_master.sql}), by
     * lower-cased column name; empty if the table was not rewritten.
     */
    public static Map<String, String> declaredKeyTypes(String createTableSql) {
        if (createTableSql == null || !createTableSql.contains(MARKER_PREFIX)) {
            return Map.of();
        }
        Map<String, String> declared = new HashMap<>();
        CreateTableShape.parse(createTableSql).ifPresent(shape -> {
            for (CreateTableShape.Column c : shape.columns()) {
                String marker = " " + MARKER_PREFIX;
                if (c.declaredType().equalsIgnoreCase("INTEGER") && createTableSql.startsWith(marker, c.typeEnd())) {
                    int from = c.typeEnd() + marker.length();
                    int to = createTableSql.indexOf(MARKER_SUFFIX, from);
                    if (to >= 0) {
                        declared.put(c.name().toLowerCase(Locale.ROOT), createTableSql.substring(from, to));
                    }
                }
            }
        });
        return declared;
    }
}
