package io.corrosion.jdbc.intercept;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites the INSERTs in a {@code CREATE TRIGGER} body, as {@link InsertKeyRewrite} rewrites an application's INSERT,
 * so that the rows a trigger inserts (an audit trigger's, an {@code INSTEAD OF} view's) get keys from the node's key
 * range, not SQLite's {@code max(rowid) + 1}, which another node can take too. The call that allocates must name its
 * table in the SQL, since the trigger is stored in the schema and runs on any later connection.
 *
 * <p>SQLite allows no {@code WITH} in a trigger body, so an {@code INSERT ... SELECT} is rewritten only where its rows
 * leave the key out ({@link InsertKeyRewrite#rewriteInTrigger}); the INSERTs left as written are reported.
 */
public final class TriggerKeyRewrite {
    /** What the rewrite needs to know of an INSERT's table; empty for a table whose keys the driver does not give. */
    @FunctionalInterface
    public interface KeyColumns {
        Optional<InsertKey> of(String table) throws SQLException;
    }

    /**
     * The key of one table, as {@link InsertKeyRewrite#rewriteInTrigger} takes it.
     *
     * @param insertable the table's insertable (non-generated) columns in order, the key among them
     * @param callPrefix the allocating call up to its last argument, naming the table
     */
    public record InsertKey(String column, List<String> insertable, Set<String> rowidAliases, String callPrefix) {}

    /**
     * The trigger as it runs.
     *
     * @param sql          the statement with its body's INSERTs rewritten; the original if none was
     * @param leftAsWritten the tables of body INSERTs that keep SQLite's keys: shapes the rewrite cannot change
     */
    public record Result(String sql, List<String> leftAsWritten) {}

    private TriggerKeyRewrite() {}

    /** True for {@code CREATE [TEMP] TRIGGER}. */
    public static boolean isCreateTrigger(String sql) {
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        int i = 0;
        if (i >= tokens.size() || !tokens.get(i++).isWord("CREATE")) {
            return false;
        }
        if (i < tokens.size() && (tokens.get(i).isWord("TEMP") || tokens.get(i).isWord("TEMPORARY"))) {
            i++;
        }
        return i < tokens.size() && tokens.get(i).isWord("TRIGGER");
    }

    /** True for a {@code CREATE TRIGGER} that makes a TEMP trigger: {@code CREATE TEMP TRIGGER}, or one named {@code temp.x}. */
    public static boolean isCreateTempTrigger(String sql) {
        if (!isCreateTrigger(sql)) {
            return false;
        }
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        if (tokens.get(1).isWord("TEMP") || tokens.get(1).isWord("TEMPORARY")) {
            return true;
        }
        int i = 2; // after CREATE TRIGGER
        if (i + 2 < tokens.size() && tokens.get(i).isWord("IF") && tokens.get(i + 1).isWord("NOT")
                && tokens.get(i + 2).isWord("EXISTS")) {
            i += 3;
        }
        return i + 1 < tokens.size() && tokens.get(i + 1).isSymbol('.')
                && tokens.get(i).name(sql).equalsIgnoreCase("temp");
    }

    /** The trigger with the INSERTs of its body rewritten; {@code sql} must be a {@code CREATE TRIGGER}. */
    public static Result rewrite(String sql, KeyColumns keys) throws SQLException {
        List<String> leftAsWritten = new ArrayList<>();
        String out = TriggerBody.rewriteStatements(sql, statement -> rewriteInsert(statement, keys, leftAsWritten));
        return new Result(out, List.copyOf(leftAsWritten));
    }

    private static Optional<String> rewriteInsert(String statement, KeyColumns keys, List<String> leftAsWritten)
            throws SQLException {
        StatementPlan plan = StatementClassifier.classify(statement);
        if (!plan.kind().isInsert() || plan.table().isEmpty()) {
            return Optional.empty();
        }
        Optional<InsertKey> key = keys.of(plan.table().get());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        InsertKey k = key.get();
        Optional<String> rewritten = InsertKeyRewrite.rewriteInTrigger(statement, k.column(), k.insertable(),
                k.callPrefix(), k.rowidAliases());
        if (rewritten.isEmpty()) {
            leftAsWritten.add(plan.table().get());
        }
        return rewritten;
    }
}
