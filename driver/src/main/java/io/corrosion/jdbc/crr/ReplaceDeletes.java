package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sqlite.Function;

/**
 * {@code crsql_internal_replace_delete(table, crsql_pack_columns(key...))}, an aggregate the UNIQUE checks call for
 * REPLACE: it gathers the keys of the rows that collide with the written one and deletes them once they are all read,
 * in a DELETE of its own. A DELETE in the check's body would make SQLite compile the table's DELETE triggers into every
 * INSERT and UPDATE of the table, so a trigger whose body names a table dropped since (SQLite keeps it) would fail them
 * all; plain SQLite fails only the statements that fire it. The DELETE, prepared when a REPLACE deletes, fires the
 * table's capture triggers, so the delete replicates; the application's DELETE triggers hold back while it runs (their
 * WHEN asks {@code crsql_internal_replacing}, {@link io.corrosion.jdbc.intercept.TriggerConflictRewrite}), as SQLite
 * fires none for a REPLACE's deletes.
 * The foreign-key violations it takes away count for the statement that runs the check ({@link ReplaceOrphans}), and
 * so do those it makes: {@code crsql_internal_replace_lend}, the same aggregate called before it over the same rows,
 * lends a row for each child a delete leaves without its parent ({@link ReplaceChildren}).
 */
final class ReplaceDeletes extends Function.Aggregate {
    static final String NAME = "crsql_internal_replace_delete";
    static final String LEND = "crsql_internal_replace_lend";

    private final CrrSession session;
    /** Lends rows for the children of the rows ({@link #LEND}) instead of deleting them. */
    private final boolean lends;
    /** Shared by the connection's two functions and their clones. */
    private final ReplaceQueries queries;
    private final ReplacedRow replaced;
    /** This call's table and keys; SQLite runs a clone per call, which {@link #xStep} gives lists of its own. */
    private String table;
    private List<byte[]> keys;

    private ReplaceDeletes(CrrSession session, boolean lends, ReplaceQueries queries, ReplacedRow replaced) {
        this.session = session;
        this.lends = lends;
        this.queries = queries;
        this.replaced = replaced;
    }

    /** The two aggregates, and {@code crsql_internal_replacing(table, OLD.<key>...)}, the DELETE triggers' guard. */
    static void register(CrrSession s) throws SQLException {
        ReplaceQueries queries = new ReplaceQueries();
        ReplacedRow replaced = new ReplacedRow();
        Function.create(s.connection(), NAME, new ReplaceDeletes(s, false, queries, replaced), 2, 0);
        Function.create(s.connection(), LEND, new ReplaceDeletes(s, true, queries, replaced), 2, 0);
        SqlFunction.register(s.connection(), "crsql_internal_replacing", -1, false,
                a -> replaced.is(String.valueOf(a[0]), Arrays.asList(a).subList(1, a.length)) ? 1L : 0L);
    }

    /**
     * The statements of a check's body that delete the rows of {@code from} (a FROM and WHERE of {@code table}): the
     * lending for their children, its count in the writing statement, the deletes.
     */
    static String calls(String table, List<String> pkColumns, String from) {
        String args = "(" + Sql.literal(table) + ", crsql_pack_columns(" + Sql.idents(pkColumns, "") + ")) ";
        return "SELECT " + LEND + args + from + "; " + ReplaceChildren.count() + "; SELECT " + NAME + args + from;
    }

    @Override
    protected void xStep() throws SQLException {
        if (keys == null) {
            table = value_text(0);
            keys = new ArrayList<>();
        }
        keys.add(value_blob(1));
    }

    @Override
    protected void xFinal() throws SQLException {
        List<byte[]> gathered = keys;
        keys = null;
        if (gathered == null || gathered.isEmpty()) {
            result();
            return;
        }
        if (session.isClosed()) {
            throw CrrFunctions.detached(lends ? LEND : NAME);
        }
        try {
            session.nested(() -> {
                ReplaceQueries.Queries q = queries.of(session.connection(), session.catalog(), table);
                if (lends) {
                    ReplaceChildren.lend(session.connection(), q, gathered);
                } else {
                    delete(table, q, gathered);
                }
                return null;
            });
        } catch (SQLException e) { // e.g. a RAISE in a DELETE trigger: its class reaches the statement
            throw SqlFunction.withStateInMessage(SqlErrors.translate(e));
        }
        result();
    }

    private void delete(String table, ReplaceQueries.Queries q, List<byte[]> packedKeys) throws SQLException {
        Connection c = session.connection();
        List<String> pk = q.pk();
        String orphans = q.orphans();
        // main: a TEMP table of the same name would hide the table the check belongs to
        try (PreparedStatement p = c.prepareStatement("DELETE FROM main." + Sql.ident(table) + " WHERE " + Sql.pkMatch(pk, ""));
                PreparedStatement owed = orphans == null ? null : c.prepareStatement(orphans)) {
            for (byte[] packed : packedKeys) {
                List<Object> values = PackedColumns.unpack(packed);
                for (int i = 0; i < values.size(); i++) {
                    p.setObject(i + 1, values.get(i));
                    if (owed != null) {
                        owed.setObject(i + 1, values.get(i));
                    }
                }
                int rows = owed == null ? 0 : ReplaceOrphans.owed(owed);
                ReplaceOrphans.owe(c, rows);
                ReplacedRow.Row outer = replaced.set(new ReplacedRow.Row(table, values));
                try {
                    p.executeUpdate();
                } finally {
                    replaced.set(outer);
                    if (rows > 0) {
                        ReplaceOrphans.clearUnturned(c);
                    }
                }
            }
        }
    }
}
