package io.corrosion.jdbc.node;

import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.intercept.CreateTableAsSelect;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code CREATE TABLE copy AS SELECT ...} of a replicated table. A query declares no key, and a replicated table needs
 * one, so the statement runs as the two a user would write instead, in its DDL scope (one transaction, or a savepoint
 * of the application's): {@code CREATE TABLE copy (<columns>)}, which gets the driver's hidden key like any keyless
 * table, then {@code INSERT INTO copy (<columns>) SELECT ...}, whose rows get node-private keys and replicate.
 *
 * <p>The columns are SQLite's own: a TEMP view of the query has the names SQLite's {@code CREATE ... AS} gives them
 * ({@code a:1} for a second {@code a}), and the affinities of their types are the types it declares. {@code SELECT *} over a table with the hidden key is written out without it first
 * ({@link HiddenKeyStars}), so the key never becomes a column. TEMP and local tables are left to SQLite.
 */
final class TableAsSelect {
    /** The TEMP view that shows the columns; dropped right after. */
    private static final String SCRATCH = "__corrosion_ctas_columns";

    private final SchemaPolicy policy;

    TableAsSelect(SchemaPolicy policy) {
        this.policy = policy;
    }

    /** The plan's {@code CREATE TABLE ... AS SELECT} of a replicated table; null if it has none. */
    StatementPlan of(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.CREATE_TABLE && policy.replicates(s)
                    && CrrTableDdl.isCreateTableAsSelect(s.sql())) {
                return s;
            }
        }
        return null;
    }

    /** Refuses a {@code CREATE TABLE ... AS SELECT} of a replicated table beside other statements: it runs as two. */
    void refuseBesideOthers(List<SqlPlan> plans) throws SQLException {
        int statements = plans.stream().mapToInt(p -> p.statements().size()).sum();
        for (SqlPlan plan : plans) {
            StatementPlan s = of(plan);
            if (s != null && statements > 1) {
                throw new SQLException("CREATE TABLE ... AS SELECT of replicated table " + s.table().get() + " must be"
                        + " the only statement of its SQL string or batch: the driver runs it as a CREATE TABLE and an"
                        + " INSERT, and the statements beside it would run between the two. Run it on its own",
                        SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
    }

    /**
     * The CREATE TABLE to run for {@code ctas}, whose text the other rewrites made {@code sql} ({@code SELECT *}
     * written out): the table with the columns SQLite's {@code CREATE TABLE ... AS} would give it.
     */
    String createTable(StatementPlan ctas, String sql, Connection raw) throws SQLException {
        CreateTableAsSelect parts = parts(sql);
        if (parts.hasParameters()) {
            throw new SQLException("CREATE TABLE ... AS SELECT with parameters is not supported on replicated table "
                    + ctas.table().get() + ": the driver runs it as a CREATE TABLE and an INSERT, and the CREATE TABLE"
                    + " cannot take them. Run the CREATE TABLE ... AS SELECT without parameters (... WHERE 0 gives an"
                    + " empty table), then INSERT INTO " + ctas.table().get() + " SELECT ... with them",
                    SqlErrors.FEATURE_NOT_SUPPORTED);
        }
        String table = ctas.table().get();
        if (parts.head().matches("(?is).*\\bIF\\s+NOT\\s+EXISTS\\b.*") && schemaName(raw, table) != null) {
            // SQLite neither creates nor fills the table, nor reads the query: a CREATE TABLE that does nothing either
            return parts.createTable(visibleColumns(raw, table).stream()
                    .map(name -> new CreateTableAsSelect.Column(name, "")).toList());
        }
        List<CreateTableAsSelect.Column> columns = columns(raw, parts);
        for (CreateTableAsSelect.Column c : columns) {
            if (c.name().equalsIgnoreCase(CrrTableDdl.ROW_ID_COLUMN)) {
                throw new SQLException("CREATE TABLE ... AS SELECT of replicated table " + table + " has a result"
                        + " column named " + CrrTableDdl.ROW_ID_COLUMN + ", the name of the hidden key the driver gives"
                        + " the table. Name that column otherwise (... AS other_name)", SqlErrors.FEATURE_NOT_SUPPORTED);
            }
        }
        return parts.createTable(columns);
    }

    /**
     * The INSERT that fills the table {@code ctas} created, for the rewrites to make it the application's own; empty if
     * it did not create one ({@code IF NOT EXISTS} found it there, or it stays local).
     */
    Optional<String> fill(StatementPlan ctas, NodeConnection c) throws SQLException {
        String table = schemaName(c.raw, ctas.table().get());
        if (table == null || c.preexisting.contains(table.toLowerCase(Locale.ROOT)) || c.session.crrName(table) == null) {
            return Optional.empty();
        }
        return Optional.of(parts(ctas.sql()).insert(table, visibleColumns(c.raw, table)));
    }

    private static CreateTableAsSelect parts(String sql) throws SQLException {
        return CreateTableAsSelect.parse(sql).orElseThrow(() -> new SQLException("Cannot read the query of " + sql
                + " (a bug in the driver; create the table, then INSERT INTO it SELECT ...)", SqlErrors.GENERAL_ERROR));
    }

    /**
     * The columns SQLite's {@code CREATE TABLE ... AS} gives the query's result: a TEMP view of the query has its names,
     * and the affinities of its declared types are the table's types. A view runs nothing, and unlike a table it can be
     * dropped while a result set of the connection is open.
     */
    private static List<CreateTableAsSelect.Column> columns(Connection raw, CreateTableAsSelect parts)
            throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TEMP VIEW " + SCRATCH + " AS " + parts.select());
            try {
                List<CreateTableAsSelect.Column> columns = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(
                        "SELECT name, type FROM pragma_table_info('" + SCRATCH + "', 'temp') ORDER BY cid")) {
                    while (rs.next()) {
                        columns.add(new CreateTableAsSelect.Column(rs.getString(1),
                                CreateTableAsSelect.tableType(rs.getString(2))));
                    }
                }
                return columns;
            } finally {
                s.execute("DROP VIEW temp." + SCRATCH);
            }
        }
    }

    /** The table's name in the main schema as the schema spells it; null if there is none. */
    private static String schemaName(Connection raw, String table) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The table's columns in order, without the hidden key. */
    private static List<String> visibleColumns(Connection raw, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement p = raw.prepareStatement(
                "SELECT name FROM pragma_table_info(?, 'main') WHERE name <> ? ORDER BY cid")) {
            p.setString(1, table);
            p.setString(2, CrrTableDdl.ROW_ID_COLUMN);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}
