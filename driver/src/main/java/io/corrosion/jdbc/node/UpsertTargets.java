package io.corrosion.jdbc.node;

import io.corrosion.jdbc.crr.TableKeys;
import io.corrosion.jdbc.crr.UniqueChecks;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.RowidKeyDdl;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.intercept.UpsertTargetRewrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * UPSERTs whose conflict target is a UNIQUE constraint of a CRR, which SQLite cannot name there (the constraint is
 * enforced by checks over a plain index, {@link UniqueChecks}), run on the primary key instead ({@link
 * UpsertTargetRewrite}). Any other statement runs as written; a target that matches no constraint fails as in SQLite.
 */
final class UpsertTargets {
    private UpsertTargets() {}

    /** The plan with its UPSERTs on a CRR's UNIQUE constraint rewritten; {@code plan} itself if there is none. */
    static SqlPlan rewrite(SqlPlan plan, NodeConnection c) throws SQLException {
        if (c == null || !anyUpsert(plan)) {
            return plan;
        }
        boolean changed = false;
        List<String> statements = new ArrayList<>();
        for (StatementPlan s : plan.statements()) {
            Optional<String> rewritten = rewrite(s, c);
            changed |= rewritten.isPresent();
            statements.add(rewritten.orElse(s.sql()));
        }
        return changed ? Interceptor.classify(String.join(";\n", statements)) : plan;
    }

    /** On every write's path: no stream. */
    private static boolean anyUpsert(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.UPSERT) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> rewrite(StatementPlan s, NodeConnection c) throws SQLException {
        if (s.kind() != StatementKind.UPSERT || s.table().isEmpty() || !s.targetsMainSchema()) {
            return Optional.empty();
        }
        Optional<List<String>> target = UpsertTargetRewrite.target(s.sql());
        String table = target.isEmpty() ? null : c.session.crrName(s.table().get());
        if (table == null || UpsertTargetRewrite.sameColumns(target.get(), c.session.crrPrimaryKey(table))) {
            return Optional.empty(); // not a CRR, or its primary key: SQLite's own (the catalog knows the key)
        }
        String key0 = c.session.crrPrimaryKey(table).get(0);
        if (target.get().stream().anyMatch(key0::equalsIgnoreCase) && TableKeys.isRowid(c.raw, table)
                && declaredRowidAlias(c.raw, table, key0)) {
            // SQLite reads a rowid alias in a target as the rowid, which no UNIQUE index holds: its own error
            return Optional.empty();
        }
        // The key in its order (pk), with defaults; the columns rows supply where the statement lists none
        TreeMap<Integer, String[]> keyColumns = new TreeMap<>();
        List<String> rowColumns = new ArrayList<>();
        try (PreparedStatement p = c.raw.prepareStatement(
                "SELECT name, pk, dflt_value FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(2) > 0) {
                        keyColumns.put(rs.getInt(2), new String[] {rs.getString(1), rs.getString(3)});
                    }
                    if (!rs.getString(1).equalsIgnoreCase(CrrTableDdl.ROW_ID_COLUMN)) {
                        rowColumns.add(rs.getString(1));
                    }
                }
            }
        }
        List<String> key = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        keyColumns.values().forEach(k -> {
            key.add(k[0]);
            defaults.add(k[1]);
        });
        if (SchemaStatements.onTempTable(s, c.raw)) {
            return Optional.empty(); // SQLite's own
        }
        for (String index : UniqueChecks.enforcedIndexes(c.raw, table)) {
            Optional<UpsertTargetRewrite.Shape> shape = shape(c.raw, table, index, key, defaults, rowColumns, target.get());
            if (shape.isPresent()) {
                return UpsertTargetRewrite.rewrite(s.sql(), shape.get());
            }
        }
        return Optional.empty();
    }

    /**
     * True if {@code key} aliases the rowid as the application declared it ({@code INTEGER}), not only since the
     * driver made it one ({@link RowidKeyDdl}).
     */
    private static boolean declaredRowidAlias(Connection c, String table, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && RowidKeyDdl.declaredKeyTypes(rs.getString(1)).keySet().stream()
                        .noneMatch(key::equalsIgnoreCase);
            }
        }
    }

    /** The rewrite's shape if {@code index}, full, has the target's columns. */
    private static Optional<UpsertTargetRewrite.Shape> shape(Connection c, String table, String index, List<String> key,
            List<String> defaults, List<String> rowColumns, List<String> target) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> collations = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT x.name, x.coll, m.sql FROM pragma_index_xinfo(?) AS x"
                + " JOIN main.sqlite_master AS m ON m.type = 'index' AND m.name = ? COLLATE NOCASE WHERE x.key = 1 ORDER BY x.seqno")) {
            p.setString(1, index);
            p.setString(2, index);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) == null || CrrTableDdl.partialIndexWhere(rs.getString(3)).isPresent()) {
                        return Optional.empty();
                    }
                    columns.add(rs.getString(1));
                    collations.add(rs.getString(2));
                }
            }
        }
        return UpsertTargetRewrite.sameColumns(target, columns)
                ? Optional.of(new UpsertTargetRewrite.Shape(table, key, defaults, rowColumns, columns, collations))
                : Optional.empty();
    }
}
