package io.corrosion.jdbc.intercept;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brackets each INSERT, UPDATE and REPLACE of a {@code CREATE TRIGGER} body by calls that push and pop its conflict
 * clause ({@code INSERT OR IGNORE}, {@code REPLACE INTO}, {@code UPDATE OR FAIL}, ...; NULL for none) and UPSERT
 * ({@code ON CONFLICT}) on the connection's CRR session while it runs:
 * {@code SELECT crsql_internal_conflict_push('IGNORE', NULL, 0, 'trigger/1'); INSERT OR IGNORE ...;
 * SELECT crsql_internal_conflict_pop('trigger/1');}; in an UPDATE trigger the push has a fifth argument, 1, for an
 * UPSERT's DO UPDATE may be what fires it (SQLite resolves everything such a trigger writes with ABORT).
 * The UNIQUE checks of replicated tables are triggers over a plain index and cannot see which statement writes; with
 * the frames they resolve a collision by the body statement's clause as SQLite would (the outermost explicit clause
 * wins), and a body statement is never taken for the UPSERT that fired its trigger. A DELETE pushes {@code 'DELETE'}:
 * SQLite passes no clause through a DELETE, so the triggers it fires resolve by their own clauses (random schema probe,
 * seed 32589). SELECT is left as written.
 *
 * <p>A DELETE trigger also gets a guard in its WHEN: {@code WHEN NOT crsql_internal_replacing('t', OLD.<key>...) [AND
 * (its own)]}. SQLite fires no DELETE trigger for the rows a REPLACE deletes (recursive triggers are refused); the
 * UNIQUE checks of a replicated table delete such a row in a DELETE of their own, during which the guard holds the
 * table's triggers back for that row (not for others its cascades take).
 */
public final class TriggerConflictRewrite {
    static final String PUSH = "crsql_internal_conflict_push";
    static final String POP = "crsql_internal_conflict_pop";
    static final String REPLACING = "crsql_internal_replacing";
    /** The clause a DELETE of a body pushes: the statements it fires take no clause from those above it. */
    public static final String DELETE_BARRIER = "DELETE";
    private static final String LITERAL = "'(?:[^']|'')*'";
    /** A bracket as {@link #bracket} writes it, but for the statement it brackets. */
    private static final Pattern BRACKET = Pattern.compile("SELECT " + PUSH + "\\((?:NULL|" + LITERAL + "), (?:NULL|"
            + LITERAL + "), [01], " + LITERAL + "(?:, 1)?\\); |; SELECT " + POP + "\\(" + LITERAL + "\\)");

    private TriggerConflictRewrite() {}

    /** A table's primary key columns, in order; empty if it has none or is no table of main. */
    @FunctionalInterface
    public interface TableKey {
        List<String> of(String table) throws SQLException;
    }

    /** True for the driver's own triggers (capture, UNIQUE checks, ...), which are never rewritten. */
    public static boolean isDriversOwn(String triggerName) {
        return triggerName != null && (triggerName.contains("__crsql_") || triggerName.contains("__corrosion_"));
    }

    /**
     * The trigger with its body's writes bracketed; {@code sql} as it is if it has none. Brackets already there (of this
     * or an earlier format) are made again. {@code sql} must be a {@code CREATE TRIGGER}, named {@code name}: a
     * bracket's frame is known by the trigger's name and the bracket's ordinal ({@link #bracket}).
     */
    public static String rewrite(String sql, String name, TableKey keys) throws SQLException {
        String plain = sql.contains(PUSH) ? BRACKET.matcher(sql).replaceAll("") : sql;
        boolean updateTrigger = isUpdateTrigger(plain);
        int[] brackets = {0};
        String out = TriggerBody.rewriteStatements(plain, statement -> bracket(statement, name + "/" + (brackets[0] + 1),
                updateTrigger).map(b -> {
                    brackets[0]++;
                    return b;
                }));
        out = guarded(out, keys);
        return out.equals(sql) ? sql : out;
    }

    /**
     * A {@code BEFORE} or {@code AFTER DELETE} trigger with the guard in its WHEN ({@code sql} as it is if it has the
     * guard, is another trigger, is on a table without a key of main, or has no body SQLite would accept).
     */
    static String guarded(String sql, TableKey keys) throws SQLException {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        int on = TokenReader.topLevel(tokens, 0, t -> t.isWord("ON"));
        int begin = TriggerBody.begin(tokens, 0);
        if (on < 0 || begin < 0 || on + 1 >= begin || sql.contains(REPLACING + "(")) {
            return sql;
        }
        boolean delete = false;
        for (int i = 0; i < on; i++) {
            delete |= tokens.get(i).isWord("DELETE");
            if (tokens.get(i).isWord("INSTEAD")) {
                return sql; // a view's: no REPLACE deletes its rows
            }
        }
        if (!delete) {
            return sql;
        }
        String table = tokens.get(on + 1).name(sql);
        List<String> key = keys.of(table);
        if (key.isEmpty()) {
            return sql;
        }
        StringBuilder guard = new StringBuilder("NOT " + REPLACING + "(" + Identifiers.literal(table));
        for (String column : key) {
            guard.append(", OLD.").append(Identifiers.quote(column));
        }
        guard.append(")");
        for (int i = on + 2; i < begin; i++) {
            if (tokens.get(i).isWord("WHEN")) {
                int from = tokens.get(i + 1).start();
                int to = tokens.get(begin - 1).end();
                return sql.substring(0, from) + guard + " AND (" + sql.substring(from, to) + ")" + sql.substring(to);
            }
        }
        int at = tokens.get(begin).start();
        return sql.substring(0, at) + "WHEN " + guard + " " + sql.substring(at);
    }

    /** {@code CREATE TRIGGER ... [BEFORE|AFTER|INSTEAD OF] UPDATE [OF ...] ON}. */
    private static boolean isUpdateTrigger(String sql) {
        TokenReader r = new TokenReader(sql);
        int on = r.topLevel(0, t -> t.isWord("ON"));
        for (int i = 0; i < on; i++) {
            if (r.tokens.get(i).isWord("UPDATE")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The trigger with the brackets of its body's UPSERTs into {@code from} naming {@code to}: after {@code ALTER TABLE
     * from RENAME TO to}, for SQLite renames the table in the statement but not in the bracket's string literal.
     */
    public static String renamed(String sql, String from, String to) {
        Matcher guard = Pattern.compile(Pattern.quote(REPLACING + "(" + Identifiers.literal(from) + ","),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(sql);
        if (guard.find()) {
            sql = guard.replaceAll(Matcher.quoteReplacement(REPLACING + "(" + Identifiers.literal(to) + ","));
        }
        Matcher m = Pattern.compile(Pattern.quote(PUSH + "(") + "(NULL|'[A-Z]+'), " + Pattern.quote(Identifiers.literal(from))
                + ", ", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(sql);
        return m.find() ? m.replaceAll(m2 -> Matcher.quoteReplacement(PUSH + "(" + m2.group(1) + ", "
                + Identifiers.literal(to) + ", ")) : sql;
    }

    /**
     * {@code SELECT push(clause, upsert table, ignores any, id); statement; SELECT pop(id)}. The pop takes the frames
     * above its own too: a {@code RAISE(IGNORE)} in a nested trigger's statement skips that statement's pop, and the
     * trigger that fired it goes on with its next statement, this pop. SQLite fires no trigger inside itself (recursive
     * triggers are refused), so a push whose id is on the stack finds a frame a {@code RAISE(IGNORE)} in its own
     * statement left, and takes it away first.
     */
    private static Optional<String> bracket(String statement, String id, boolean updateTrigger) {
        StatementPlan plan = StatementClassifier.classify(statement);
        boolean clause = plan.orAction() != ConflictResolution.NONE;
        boolean upsert = plan.onConflict() && plan.table().isPresent();
        boolean delete = plan.kind() == StatementKind.DELETE;
        if (!clause && !upsert && !delete && !plan.kind().isInsert() && plan.kind() != StatementKind.UPDATE) {
            return Optional.empty();
        }
        // a DELETE's triggers resolve by their own clauses: SQLite passes no clause of the statements above through it
        String resolution = delete ? Identifiers.literal(DELETE_BARRIER)
                : clause ? Identifiers.literal(plan.orAction().name()) : "NULL";
        String push = "SELECT " + PUSH + "(" + resolution + ", "
                + (upsert ? Identifiers.literal(plan.table().get()) : "NULL") + ", "
                + (upsert && plan.onConflictIgnoresAny() ? 1 : 0) + ", " + Identifiers.literal(id)
                + (updateTrigger ? ", 1" : "") + ")";
        return Optional.of(push + "; " + statement + "; SELECT " + POP + "(" + Identifiers.literal(id) + ")");
    }
}
