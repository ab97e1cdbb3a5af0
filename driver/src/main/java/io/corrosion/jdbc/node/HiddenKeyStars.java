package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StarExpansion;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConnection;

/**
 * Keeps the hidden key of tables created without one out of {@code SELECT *} ({@link StarExpansion}). The columns are
 * read from the connection the statement runs on, each time, so that TEMP tables and schema changes of any
 * connection count; a file that has no table with the hidden key (the common case) costs one flag read per statement
 * with a {@code *}, once it is known.
 */
final class HiddenKeyStars {
    private static final String ANY_HIDDEN_KEY = "SELECT 1 FROM sqlite_schema m, pragma_table_xinfo(m.name) p"
            + " WHERE m.type = 'table' AND p.name = '" + CrrTableDdl.ROW_ID_COLUMN + "' LIMIT 1";

    /** An ATTACH: the attached file (a backup, say) may have such tables where this one has none. */
    private static final Pattern ATTACH = Pattern.compile("(?is)\\s*attach\\b");

    /**
     * Whether the file, or a file attached to a connection of it, has a table with the hidden key; null until read.
     * It can only turn true, and only through a statement this hook sees: a CREATE TABLE (the driver adds the key
     * there; once one is rewritten with it, it is true) or an ATTACH (then it is true, unread).
     */
    private volatile Boolean any;

    /** The SQL to run for {@code sql}, the text of {@code plan} as the other rewrites left it. */
    String rewrite(SqlPlan plan, String sql, SQLiteConnection connection) throws SQLException {
        if (any != Boolean.TRUE && (createsHiddenKey(plan, sql) || attaches(plan))) {
            synchronized (this) {
                any = true; // before the table exists: a read of the flag now may miss it, but cannot keep that
            }
        }
        return expand(plan, sql, connection);
    }

    /** The SQL to run for a plain read, which creates and attaches nothing: a flag read where no table has the key. */
    String rewriteRead(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        return expand(plan, plan.sql(), connection);
    }

    private String expand(SqlPlan plan, String sql, SQLiteConnection connection) throws SQLException {
        if (!plan.starOrNatural() || !anyHiddenKey(connection)) {
            return sql;
        }
        List<String> statements = sql.equals(plan.sql()) && plan.statements().size() == 1 ? List.of(sql)
                : Interceptor.split(sql);
        if (statements.size() != plan.statements().size()) {
            return sql; // a rewrite keeps one statement for each; nothing to pair otherwise
        }
        List<String> out = new ArrayList<>(statements.size());
        boolean changed = false;
        for (int i = 0; i < statements.size(); i++) {
            StatementPlan original = plan.statements().get(i);
            String table = original.kind().isDml() ? original.table().orElse(null) : null;
            String expanded = StarExpansion.rewrite(statements.get(i), (schema, name) -> columns(connection, schema, name),
                    table);
            changed |= !expanded.equals(statements.get(i));
            out.add(expanded);
        }
        return !changed ? sql : out.size() == 1 ? out.get(0) : String.join(";\n", out);
    }

    private static boolean createsHiddenKey(SqlPlan plan, String sql) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.CREATE_TABLE) {
                return sql.contains(CrrTableDdl.ROW_ID_COLUMN);
            }
        }
        return false;
    }

    private static boolean attaches(SqlPlan plan) {
        for (StatementPlan s : plan.statements()) {
            if (s.kind() == StatementKind.OTHER && ATTACH.matcher(s.sql()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private boolean anyHiddenKey(SQLiteConnection connection) throws SQLException {
        Boolean known = any;
        if (known == null) {
            try (PreparedStatement p = connection.prepareStatement(ANY_HIDDEN_KEY); ResultSet rs = p.executeQuery()) {
                known = rs.next();
            }
            synchronized (this) {
                if (any == null) { // a CREATE TABLE rewritten meanwhile set it true: keep that
                    any = known;
                }
                known = any;
            }
        }
        return known;
    }

    /**
     * The columns {@code SELECT *} shows of a table or view, the hidden key included; null if there is no such table
     * or view, or its columns cannot be read (a view over a table dropped since).
     */
    private static List<String> columns(SQLiteConnection connection, String schema, String name) {
        String sql = schema == null ? "SELECT name, hidden FROM pragma_table_xinfo(?)"
                : "SELECT name, hidden FROM pragma_table_xinfo(?, ?)";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, name);
            if (schema != null) {
                p.setString(2, schema);
            }
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(2) != 1) { // 1: a virtual table's hidden column, which * leaves out
                        columns.add(rs.getString(1));
                    }
                }
            }
            return columns.isEmpty() ? null : columns;
        } catch (SQLException e) {
            return null;
        }
    }
}
