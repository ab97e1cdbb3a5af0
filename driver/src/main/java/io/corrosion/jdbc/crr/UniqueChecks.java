package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * UNIQUE constraints of CRRs, enforced for local writes by BEFORE triggers over a plain index instead of by a unique
 * index. A unique index would make a merge fail when two nodes inserted the same value concurrently, and a merge that
 * fails once fails forever: replication would stop. The checks run only while capture is on (local writes) and let
 * merges through; rows that collide across nodes both survive.
 *
 * <p>A local write that collides is treated as its statement's conflict clause says ({@code INSERT OR ...}/{@code
 * UPDATE OR ...}/{@code REPLACE INTO}; {@code crsql_internal_conflict()}, {@link StatementConflicts}): ABORT (the
 * default), FAIL and ROLLBACK raise SQLite's own error text ({@code UNIQUE constraint failed: t.c}), IGNORE skips the
 * row, REPLACE deletes the other rows first (a captured delete, so it replicates; {@link ReplaceDeletes}). A NULL
 * that REPLACE turns into a NOT NULL column's default is checked as that default. The statement is the top-level one ({@link
 * CrrSession#statementConflicts}) or one in a trigger's body: a trigger fires per row, between the checks of the
 * top-level statement's rows, so the body statements that have a clause or an UPSERT tell the session while they run
 * (bracketed at CREATE TRIGGER by {@code TriggerConflictRewrite}, and in the triggers of files of an earlier format by
 * {@link AppTriggers}). As in SQLite, the outermost explicit clause wins: the top-level statement's, else that of the
 * outermost body statement of the chain of triggers that leads to the write.
 *
 * <p>Not as SQLite, and why. (1) REPLACE deletes the other rows with a DELETE ({@link ReplaceDeletes}), so the
 * application's DELETE triggers on the table fire for them; SQLite fires none for a REPLACE's deletes (recursive_triggers, which would
 * fire them, is refused). A trigger can take a row away only by a DELETE, and a DELETE fires every DELETE trigger of
 * the table: the capture ones must fire (the delete replicates), the application's must not, and only a guard in the
 * application's triggers (their WHEN rewritten at CREATE TRIGGER, and in the triggers of existing files) could tell
 * them apart. (2) A trigger created without the driver (plain SQLite on the file) after the file's format change has no
 * brackets: the clauses of its body are not seen (a collision fails with 23505 unless an outer statement has a clause).
 * (3) A body statement that a {@code RAISE(IGNORE)} in its own expressions abandons skips its pop (the checks' own
 * RAISE(IGNORE) abandons only the row of the statement they guard, whose trigger goes on with its pop). The pop of an
 * enclosing bracket, or the next push of the same one, takes its frame away; until then, at the top of the chain, a
 * trigger that fires for a later row of the top-level statement resolves as that statement would.
 *
 * <p>An UPSERT ({@code INSERT ... ON CONFLICT}) as SQLite runs it: the primary key, the only uniqueness constraint
 * SQLite itself still enforces on a CRR, is checked first; a row whose key is taken is the upsert's to resolve
 * ({@code DO UPDATE}, whose UPDATE is checked as any but always with ABORT, as SQLite runs it, or {@code DO NOTHING}) and its other values are not checked. A
 * row whose key is free is checked: a collision fails the statement, or skips the row if the last clause is
 * {@code ON CONFLICT DO NOTHING} without a target. That holds for the UPSERT's own rows only: an INSERT or UPDATE of a
 * trigger's body (bracketed, {@link StatementConflicts}) is checked as any, but with ABORT in a trigger the DO UPDATE
 * fired, as SQLite runs it. An UPSERT in a trigger's body is bracketed as a clause is, and checked the
 * same way. Not as SQLite: a last clause {@code DO UPDATE} without a target does not update the row another column
 * collides with (the statement fails). {@code ON CONFLICT (c)} naming such a constraint runs on the primary key: the row takes the key of the row
 * holding its values ({@code io.corrosion.jdbc.intercept.UpsertTargetRewrite}).
 */
public final class UniqueChecks {
    static final String INSERT_SUFFIX = "__corrosion_uq_ins";
    static final String UPDATE_SUFFIX = "__corrosion_uq_upd";
    private static final String KEY_FIRST_NOTE = "/*corrosion:key-first*/";
    private static final Pattern ON_CONFLICT_NOTE =
            Pattern.compile("/\\*corrosion:on-conflict=(ABORT|FAIL|IGNORE|REPLACE|ROLLBACK)\\*/");

    /**
     * One column of the index: its name, its collation, and the value the written row will hold, as an expression over
     * NEW.
     */
    private record IndexColumn(String name, String collation, String newValue) {}

    private UniqueChecks() {}

    /**
     * The indexes of {@code table} (any case) whose uniqueness these checks enforce, lower-cased: for metadata, which
     * sees plain indexes.
     */
    public static Set<String> enforcedIndexes(Connection c, String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM main.sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = ? COLLATE NOCASE AND name LIKE ? ESCAPE '\\'")) {
            p.setString(1, table);
            p.setString(2, "%" + INSERT_SUFFIX.replace("_", "\\_"));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String trigger = rs.getString(1);
                    out.add(trigger.substring(0, trigger.length() - INSERT_SUFFIX.length()).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** True if {@code table} has a UNIQUE constraint declared {@code ON CONFLICT REPLACE} that these checks enforce. */
    public static boolean hasReplaceConstraint(Connection c, String table) throws SQLException {
        Set<String> enforced = enforcedIndexes(c, table);
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM main.sqlite_master WHERE type = 'index'"
                + " AND tbl_name = ? COLLATE NOCASE AND instr(sql, ?) > 0")) {
            p.setString(1, table);
            p.setString(2, onConflictNote("REPLACE").strip());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (enforced.contains(rs.getString(1).toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    static List<String> triggerNames(String index) {
        return List.of(index + INSERT_SUFFIX, index + UPDATE_SUFFIX, index + ReplaceOrphans.TRIGGER_SUFFIX,
                index + ReplaceChildren.TRIGGER_SUFFIX);
    }

    /**
     * Creates (or keeps) the checks for {@code index}, a plain index on {@code table} standing in for a UNIQUE one. A
     * partial index's checks look only at rows its WHERE selects: the written row, if it does, and the others that do.
     */
    static void create(Connection c, String table, String index, List<String> pkColumns) throws SQLException {
        String indexSql = indexSql(c, index);
        List<IndexColumn> columns = columns(c, table, index);
        StringJoiner notNull = new StringJoiner(" AND ");
        StringJoiner match = new StringJoiner(" AND ");
        StringJoiner changed = new StringJoiner(" OR ");
        StringJoiner names = new StringJoiner(", ");
        StringJoiner updateOf = new StringJoiner(", ");
        for (IndexColumn col : columns) {
            String q = Sql.ident(col.name());
            notNull.add(col.newValue() + " IS NOT NULL");
            match.add(q + " = " + col.newValue() + " COLLATE " + col.collation());
            changed.add(col.newValue() + " IS NOT OLD." + q);
            names.add(table + "." + col.name());
            updateOf.add(q);
        }
        Optional<String> where = partialWhere(indexSql);
        String newSelected = "";
        String oldSelected = "";
        Set<String> used = new HashSet<>();
        columns.forEach(col -> used.add(col.name().toLowerCase(Locale.ROOT)));
        if (where.isPresent()) {
            // only the columns the index and its WHERE name: a trigger naming a column keeps it from being dropped
            used.addAll(CrrTableDdl.namesIn(where.get()));
            Map<String, String> newValues = new HashMap<>();
            columns.forEach(col -> newValues.put(col.name().toLowerCase(Locale.ROOT), col.newValue()));
            newSelected = " AND " + WrittenRow.satisfies(c, table, "NEW", where.get(), used, newValues);
            oldSelected = " OR NOT " + WrittenRow.satisfies(c, table, "OLD", where.get(), used, Map.of());
            match.add("(" + where.get() + ")");
            updateOf = new StringJoiner(", ").add(columnsOf(c, table, used));
        }
        // A generated column changes with the columns it is computed from, which an UPDATE names instead of it. In a
        // BEFORE UPDATE trigger SQLite computes it from the columns the trigger reads (one it does not read counts as
        // NULL): the check reads them, in a test that always holds.
        String readSources = "";
        Set<String> sources = sourcesOfGenerated(c, table, used);
        if (!sources.isEmpty()) {
            StringJoiner read = new StringJoiner(", ", " AND coalesce(", ", 1) IS NOT NULL");
            for (String source : sources) {
                updateOf.add(Sql.ident(source));
                read.add("NEW." + Sql.ident(source));
            }
            readSources = read.toString();
        }
        String message = Sql.literal("UNIQUE constraint failed: " + names);
        // An UPSERT's row whose key is taken: the upsert resolves it before SQLite checks anything else.
        String upsert = "crsql_internal_upsert(" + Sql.literal(table) + ")";
        Optional<String> action = onConflict(indexSql);
        String mode = action.map(a -> "crsql_internal_conflict(" + Sql.literal(a) + ")").orElse("crsql_internal_conflict()");
        // Other rows with the same values: not the row an UPDATE writes, nor the row with the key an INSERT writes if
        // REPLACE takes it away (the key's REPLACE would too). Where the key comes first, the breaks below step aside.
        String others = "FROM " + Sql.ident(table) + " WHERE " + match + " AND NOT (";
        String insertOthers = others + samePk(pkColumns, "NEW") + " AND " + mode + " = 'REPLACE')";
        String updateOthers = others + samePk(pkColumns, "OLD") + ")";
        String upsertOfTakenKey = "(" + upsert + " > 0 AND EXISTS (SELECT 1 FROM " + Sql.ident(table) + " WHERE "
                + samePk(pkColumns, "NEW") + "))";
        // An UPSERT's DO UPDATE aborts on a collision whatever the statement's and the constraint's clauses say
        String updateMode = "(CASE WHEN " + upsert + " > 0 THEN 'ABORT' ELSE " + mode + " END)";
        // SQLite checks NOT NULL, CHECK and a rowid key first: a row that breaks one meets that constraint's resolution
        boolean keyFirst = indexSql != null && indexSql.contains(KEY_FIRST_NOTE);
        boolean replaces = action.filter("REPLACE"::equals).isPresent();
        String insertBreaks = EarlierConstraints.broken(c, table, pkColumns, keyFirst, replaces, false)
                .map(b -> " AND NOT " + b).orElse("");
        String updateBreaks = EarlierConstraints.broken(c, table, pkColumns, keyFirst, replaces, true)
                .map(b -> " AND NOT " + b).orElse("");
        exec(c, "CREATE TRIGGER IF NOT EXISTS " + Sql.ident(index + INSERT_SUFFIX) + " BEFORE INSERT ON " + Sql.ident(table)
                + " WHEN " + notNull + newSelected + " AND crsql_internal_capture() AND NOT " + upsertOfTakenKey
                + " AND EXISTS (SELECT 1 " + insertOthers + ")" + insertBreaks
                + body(table, pkColumns, insertOthers, message, mode, upsert + " = 2"));
        exec(c, "CREATE TRIGGER IF NOT EXISTS " + Sql.ident(index + UPDATE_SUFFIX) + " BEFORE UPDATE OF " + updateOf
                + " ON " + Sql.ident(table) + " WHEN " + notNull + readSources + newSelected + " AND (" + changed
                + oldSelected + ")" + " AND crsql_internal_capture() AND EXISTS (SELECT 1 " + updateOthers + ")"
                + updateBreaks + body(table, pkColumns, updateOthers, message, updateMode, "0"));
        exec(c, ReplaceOrphans.createTrigger(table, index));
        exec(c, ReplaceChildren.createTrigger(table, index));
    }

    /** True for the name of a trigger of these checks. */
    static boolean isCheck(String trigger) {
        String name = trigger.toLowerCase(Locale.ROOT);
        return name.endsWith(INSERT_SUFFIX) || name.endsWith(UPDATE_SUFFIX) || name.endsWith(ReplaceOrphans.TRIGGER_SUFFIX)
                || name.endsWith(ReplaceChildren.TRIGGER_SUFFIX);
    }

    /**
     * Fails as SQLite's CREATE UNIQUE INDEX does ({@code SQLITE_CONSTRAINT_UNIQUE}, SQLite's text) if two rows of
     * {@code table} that {@code index} covers hold the same values: NULLs never collide, a partial index looks only at
     * the rows its WHERE selects, and each column compares with its collation.
     */
    static void refuseCollidingRows(Connection c, String table, String index) throws SQLException {
        List<IndexColumn> columns = columns(c, table, index);
        StringJoiner covered = new StringJoiner(" AND ");
        StringJoiner groups = new StringJoiner(", ");
        StringJoiner names = new StringJoiner(", ");
        for (IndexColumn col : columns) {
            covered.add(Sql.ident(col.name()) + " IS NOT NULL");
            groups.add(Sql.ident(col.name()) + " COLLATE " + col.collation());
            names.add(table + "." + col.name());
        }
        partialWhere(indexSql(c, index)).ifPresent(where -> covered.add("(" + where + ")"));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + Sql.ident(table)
                + " WHERE " + covered + " GROUP BY " + groups + " HAVING count(*) > 1 LIMIT 1")) {
            if (rs.next()) {
                SQLiteErrorCode code = SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
                throw new SQLiteException("[" + code.name() + "] " + code.message + " (UNIQUE constraint failed: "
                        + names + ")", code);
            }
        }
    }

    /** The SQL of {@code index}; null for an index SQLite made for a constraint (it has none). */
    private static String indexSql(Connection c, String index) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            p.setString(1, index);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The WHERE of a partial index; empty for a full one. */
    private static Optional<String> partialWhere(String indexSql) {
        return indexSql == null ? Optional.empty() : CrrTableDdl.partialIndexWhere(indexSql);
    }

    /**
     * The note that keeps a UNIQUE constraint's {@code ON CONFLICT <action>} in the SQL of the plain index standing in
     * for it, inside the column list (SQLite keeps a comment there, and renames and rebuilds carry it); empty for none.
     */
    public static String onConflictNote(String action) {
        return action == null ? "" : " /*corrosion:on-conflict=" + action + "*/";
    }

    /**
     * The note that says the table's primary key was declared after the UNIQUE constraint the index stands in for:
     * SQLite checks it first then (it checks a table's constraints last declared first).
     */
    public static String keyFirstNote(boolean keyFirst) {
        return keyFirst ? " " + KEY_FIRST_NOTE : "";
    }

    /** The constraint's own conflict action, as {@link #onConflictNote} kept it in the index's SQL. */
    private static Optional<String> onConflict(String indexSql) {
        Matcher m = ON_CONFLICT_NOTE.matcher(indexSql == null ? "" : indexSql);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The table's columns among {@code used} (lower case), quoted, in the table's order. */
    private static String columnsOf(Connection c, String table, Set<String> used) throws SQLException {
        StringJoiner out = new StringJoiner(", ");
        // table_xinfo: generated columns too (hidden 2 and 3; 1 is a virtual table's hidden column)
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM pragma_table_xinfo(?) WHERE hidden != 1 ORDER BY cid")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (used.contains(rs.getString(1).toLowerCase(Locale.ROOT))) {
                        out.add(Sql.ident(rs.getString(1)));
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * What a collision does, by {@code mode}: the statement's conflict resolution, else the constraint's own.
     * {@code ignores}: also skip the row where this is true (the UPSERT's targetless DO NOTHING).
     */
    private static String body(String table, List<String> pkColumns, String others, String message, String mode,
            String ignores) {
        return " BEGIN SELECT RAISE(IGNORE) WHERE " + mode + " = 'IGNORE' OR " + ignores + ";"
                + " " + ReplaceDeletes.calls(table, pkColumns, others + " AND " + mode + " = 'REPLACE'") + ";"
                + " " + ReplaceOrphans.settle() + ";"
                + " SELECT RAISE(FAIL, " + message + ") WHERE " + mode + " = 'FAIL';"
                + " SELECT RAISE(ROLLBACK, " + message + ") WHERE " + mode + " = 'ROLLBACK';"
                + " SELECT RAISE(ABORT, " + message + ") WHERE " + mode + " = 'ABORT'; END";
    }

    /** {@code pk1 IS <row>.pk1 AND ...} for {@code row} NEW or OLD. */
    static String samePk(List<String> pkColumns, String row) {
        StringJoiner same = new StringJoiner(" AND ");
        for (String pk : pkColumns) {
            same.add(Sql.ident(pk) + " IS " + row + "." + Sql.ident(pk));
        }
        return same.toString();
    }

    /**
     * Makes the checks of the table's indexes again: after {@code ALTER TABLE ... RENAME TO table} or any other ALTER
     * of it, so that their error names the table and its columns by their new names (SQLite renames them in the
     * triggers' SQL, not in their message), and when the metadata's format changes ({@link CrrMetadata#FORMAT_VERSION}).
     */
    static void recreate(Connection c, String table, List<String> pkColumns) throws SQLException {
        for (String index : checkedIndexes(c, table)) {
            drop(c, index);
            create(c, table, index, pkColumns);
        }
    }

    /**
     * Takes the checks of the table's indexes off before an ALTER of the table and returns those indexes, for
     * {@link #restore}: their bodies name columns besides the index's (NOT NULL and CHECK step-asides), and SQLite
     * refuses to rename or drop a column a trigger names in a way it cannot rewrite.
     */
    static List<String> takeOff(Connection c, String table) throws SQLException {
        List<String> indexes = checkedIndexes(c, table);
        for (String index : indexes) {
            drop(c, index);
        }
        return indexes;
    }

    /** After the ALTER: the checks {@link #takeOff} took off, for the indexes still on the table. */
    static void restore(Connection c, String table, List<String> indexes, List<String> pkColumns) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM main.sqlite_master WHERE type = 'index' AND name = ?")) {
            for (String index : indexes) {
                p.setString(1, index);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        create(c, table, index, pkColumns);
                    }
                }
            }
        }
    }

    /** The indexes of {@code table} that have checks, as their triggers name them. */
    private static List<String> checkedIndexes(Connection c, String table) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = ? AND name LIKE ? ESCAPE '\\'")) {
            p.setString(1, table);
            p.setString(2, "%" + INSERT_SUFFIX.replace("_", "\\_"));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String trigger = rs.getString(1);
                    indexes.add(trigger.substring(0, trigger.length() - INSERT_SUFFIX.length()));
                }
            }
        }
        return indexes;
    }

    static void drop(Connection c, String index) throws SQLException {
        for (String name : triggerNames(index)) {
            exec(c, "DROP TRIGGER IF EXISTS " + Sql.ident(name));
        }
    }

    /**
     * Replaces the unique indexes of {@code table} that {@code CREATE UNIQUE INDEX} made (not those of a UNIQUE
     * constraint, which only rebuilding the table removes) by plain indexes with checks. Returns the indexes it could
     * not replace, with why.
     */
    static List<String> convertUniqueIndexes(Connection c, String table, List<String> pkColumns) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT l.name, l.origin, m.sql FROM pragma_index_list(?) AS l"
                + " LEFT JOIN sqlite_master AS m ON m.type = 'index' AND m.name = l.name WHERE l.\"unique\" = 1 AND l.origin != 'pk'")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    indexes.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        List<String> refused = new ArrayList<>();
        for (String[] ix : indexes) {
            String name = ix[0];
            if (!"c".equals(ix[1])) {
                refused.add(name + " (a UNIQUE constraint of the table: only rebuilding the table without it removes it)");
            } else if (hasExpression(c, name)) {
                refused.add(name + " (a unique index on an expression)");
            } else {
                exec(c, "DROP INDEX " + Sql.ident(name));
                exec(c, withoutUnique(ix[2]));
                create(c, table, name, pkColumns);
            }
        }
        return refused;
    }

    private static String withoutUnique(String createIndexSql) {
        return CrrTableDdl.withoutUnique(createIndexSql);
    }

    /**
     * The columns, not among {@code used} (lower case), that the generated columns among them are computed from (also
     * through other generated ones), lower-cased, as the table's SQL names them in their definitions.
     */
    private static Set<String> sourcesOfGenerated(Connection c, String table, Set<String> used) throws SQLException {
        String sql;
        try (PreparedStatement p = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                sql = rs.next() ? rs.getString(1) : null;
            }
        }
        Optional<CreateTableShape> shape = sql == null ? Optional.empty() : CreateTableShape.parse(sql);
        if (shape.isEmpty()) {
            return Set.of();
        }
        Set<String> columns = new HashSet<>(shape.get().lowerCaseColumnNames());
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(used);
        while (!todo.isEmpty()) {
            Optional<CreateTableShape.Column> col = shape.get().column(todo.pop()).filter(CreateTableShape.Column::generated);
            if (col.isPresent()) {
                for (String name : CrrTableDdl.namesIn(sql.substring(col.get().typeStart(), col.get().definitionEnd()))) {
                    if (columns.contains(name) && !used.contains(name) && out.add(name)) {
                        todo.add(name);
                    }
                }
            }
        }
        return out;
    }

    private static boolean hasExpression(Connection c, String index) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pragma_index_info(?) WHERE cid < 0")) {
            p.setString(1, index);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /**
     * The index's columns. A NULL written with REPLACE resolution into a NOT NULL column that has a default is stored as
     * the default (SQLite resolves the NOT NULL conflict after the BEFORE triggers ran): the checks look at that value.
     */
    private static List<IndexColumn> columns(Connection c, String table, String index) throws SQLException {
        List<IndexColumn> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT x.name, x.coll, x.cid, t.\"notnull\", t.dflt_value"
                + " FROM pragma_index_xinfo(?) AS x LEFT JOIN pragma_table_xinfo(?) AS t ON t.cid = x.cid"
                + " WHERE x.key = 1 ORDER BY x.seqno")) {
            p.setString(1, index);
            p.setString(2, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(3) < 0) {
                        throw new SQLException("Index " + index + " is on an expression: a replicated table can enforce"
                                + " UNIQUE only on columns. Keep the expression's value in a column and make that unique, or list the"
                                + " table in the local-tables property", CrrErrors.SCHEMA_NOT_SUPPORTED);
                    }
                    String value = "NEW." + Sql.ident(rs.getString(1));
                    if (rs.getInt(4) == 1 && rs.getString(5) != null) {
                        value = "COALESCE(" + value + ", CASE WHEN crsql_internal_conflict() = 'REPLACE' THEN ("
                                + rs.getString(5) + ") END)";
                    }
                    out.add(new IndexColumn(rs.getString(1), rs.getString(2), value));
                }
            }
        }
        if (out.isEmpty()) {
            throw new SQLException("No index " + index + " to enforce as UNIQUE", CrrErrors.UNKNOWN_TABLE);
        }
        return out;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
