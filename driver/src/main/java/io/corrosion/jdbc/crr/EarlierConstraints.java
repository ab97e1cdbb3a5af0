package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.RowidKeyDdl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The NOT NULL and CHECK constraints, and the rowid key, SQLite checks before a row's UNIQUE ones, as a condition the {@link UniqueChecks}
 * of a table add to their WHEN: true where the written row breaks one, so that the checks step aside and SQLite's own
 * resolution of that constraint (its error, or the skip of an IGNORE) wins, as in plain SQLite.
 *
 * <p>Only a sure break counts: a condition that is true where SQLite would let the row through would let a duplicate
 * in. So a NOT NULL counts for an UPDATE only where the column's value changes from non-NULL to NULL (SQLite checks only
 * the columns the UPDATE sets), a NULL that a REPLACE turns into a non-NULL default is no break, and a CHECK counts for
 * an UPDATE only where one of its columns changes value (SQLite skips the CHECKs of columns the UPDATE does not set).
 * A CHECK is evaluated over the row with the columns' affinity and collation ({@link WrittenRow}), and not at all
 * where it names the rowid or a generated column, or where {@code PRAGMA ignore_check_constraints} is on. The rowid
 * alias and generated columns are never a NOT NULL break. A taken rowid key (INTEGER PRIMARY KEY, or the hidden key)
 * is checked first unless it resolves by REPLACE, which SQLite checks after the UNIQUE indexes that do not; a key the
 * driver made a rowid alias ({@code RowidKeyDdl}: declared INT, BIGINT, ...) is not SQLite's rowid key, and counts as
 * another key. So is another primary key declared after the UNIQUE constraint ({@code keyFirst}),
 * as SQLite checks a table's constraints last declared first, but those declared {@code ON CONFLICT REPLACE} after the
 * others: a key declared REPLACE waits for the constraint, a constraint declared REPLACE for the key.
 */
final class EarlierConstraints {
    private EarlierConstraints() {}

    /** One column of the table, as {@code pragma_table_xinfo} and the table's SQL describe it. */
    private record Column(String name, boolean notNull, String defaultSql, boolean generated, boolean rowidAlias,
            String notNullOnConflict) {}

    /**
     * True where the row a trigger on {@code table} (key {@code pkColumns}) writes breaks a NOT NULL, a CHECK or a rowid
     * key, or another key if it comes first: declared after the constraint ({@code keyFirst}), or the constraint
     * declared {@code ON CONFLICT REPLACE} ({@code replaces}), and the key not; empty if the table has none it can
     * tell. {@code update}: for the UPDATE trigger (OLD is the row before).
     */
    static Optional<String> broken(Connection c, String table, List<String> pkColumns, boolean keyFirst,
            boolean replaces, boolean update) throws SQLException {
        String tableSql = tableSql(c, table);
        CreateTableShape shape = CreateTableShape.parse(tableSql).orElse(null);
        if (shape == null) {
            return Optional.empty();
        }
        List<Column> columns = columns(c, table, shape);
        StringJoiner broken = new StringJoiner(" OR ");
        for (Column col : columns) {
            if (col.notNull() && !col.generated() && !col.rowidAlias()) {
                broken.add(nullIn(col, update));
            }
        }
        checks(c, table, shape, columns, update).ifPresent(broken::add);
        // A key the driver made a rowid alias (declared INT, BIGINT, ...) is checked where SQLite checks the declared one
        Set<String> rewritten = RowidKeyDdl.declaredKeyTypes(tableSql).keySet();
        boolean rowidKey = columns.stream()
                .anyMatch(col -> col.rowidAlias() && !rewritten.contains(col.name().toLowerCase(Locale.ROOT)));
        // Another key waits for the constraint unless declared after it, or the constraint's REPLACE waits for it
        boolean keyBefore = rowidKey || (keyFirst || replaces) && !"REPLACE".equals(shape.primaryKeyOnConflict());
        if (!pkColumns.isEmpty() && keyBefore) {
            String resolution = shape.primaryKeyOnConflict() == null ? "crsql_internal_conflict()"
                    : "crsql_internal_conflict(" + Sql.literal(shape.primaryKeyOnConflict()) + ")";
            broken.add("(" + resolution + " != 'REPLACE' AND EXISTS (SELECT 1 FROM " + Sql.ident(table) + " WHERE "
                    + UniqueChecks.samePk(pkColumns, "NEW") + (update ? " AND NOT (" + UniqueChecks.samePk(pkColumns, "OLD")
                    + ")" : "") + "))");
        }
        return broken.length() == 0 ? Optional.empty() : Optional.of("(" + broken + ")");
    }

    /** The column's NOT NULL broken: NULL written, and no REPLACE that stores a non-NULL default instead. */
    private static String nullIn(Column col, boolean update) {
        String q = Sql.ident(col.name());
        String isNull = "NEW." + q + " IS NULL" + (update ? " AND OLD." + q + " IS NOT NULL" : "");
        if (col.defaultSql() == null) {
            return "(" + isNull + ")";
        }
        String resolution = col.notNullOnConflict() == null ? "crsql_internal_conflict()"
                : "crsql_internal_conflict(" + Sql.literal(col.notNullOnConflict()) + ")";
        return "(" + isNull + " AND NOT (" + resolution + " = 'REPLACE' AND (" + col.defaultSql() + ") IS NOT NULL))";
    }

    /** The CHECKs broken, over the written row with the table's affinities and collations. */
    private static Optional<String> checks(Connection c, String table, CreateTableShape shape, List<Column> columns,
            boolean update) throws SQLException {
        Set<String> readable = new HashSet<>();
        List<Column> plain = new ArrayList<>();
        for (Column col : columns) {
            if (!col.generated()) {
                plain.add(col);
                readable.add(col.name().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> unreadable = new HashSet<>(Set.of("rowid", "oid", "_rowid_"));
        columns.stream().filter(Column::generated).forEach(col -> unreadable.add(col.name().toLowerCase(Locale.ROOT)));
        StringJoiner broken = new StringJoiner(" OR ");
        for (String check : shape.checks()) {
            Set<String> names = CrrTableDdl.namesIn(check);
            if (names.stream().anyMatch(unreadable::contains)) {
                continue;
            }
            StringJoiner changed = new StringJoiner(" OR ");
            for (Column col : plain) {
                if (names.contains(col.name().toLowerCase(Locale.ROOT))) {
                    changed.add("NEW." + Sql.ident(col.name()) + " IS NOT OLD." + Sql.ident(col.name()));
                }
            }
            if (update && changed.length() == 0) {
                continue; // SQLite checks it on no UPDATE that can change the row
            }
            broken.add((update ? "((" + changed + ") AND " : "(") + "NOT (" + check + "))");
        }
        if (broken.length() == 0) {
            return Optional.empty();
        }
        return Optional.of("(NOT (SELECT ignore_check_constraints FROM pragma_ignore_check_constraints) AND "
                + WrittenRow.satisfies(c, table, "NEW", broken.toString(), readable, Map.of()) + ")");
    }

    private static List<Column> columns(Connection c, String table, CreateTableShape shape) throws SQLException {
        boolean rowidKey = CrrCatalog.keyKind(c, table) == TableInfo.KeyKind.ROWID;
        List<Column> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, \"notnull\", dflt_value, hidden, pk FROM pragma_table_xinfo(?) ORDER BY cid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String onConflict = shape.column(name).map(CreateTableShape.Column::notNullOnConflict).orElse(null);
                    out.add(new Column(name, rs.getInt(2) == 1, rs.getString(3), rs.getInt(4) != 0,
                            rowidKey && rs.getInt(5) > 0, onConflict));
                }
            }
        }
        return out;
    }

    private static String tableSql(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
            }
        }
    }
}
