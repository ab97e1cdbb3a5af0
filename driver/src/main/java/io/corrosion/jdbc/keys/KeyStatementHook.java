package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.Reentrant;
import io.corrosion.jdbc.TableTriggers;
import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.CrrTableDdl;
import io.corrosion.jdbc.intercept.GeneratorStatements;
import io.corrosion.jdbc.intercept.Identifiers;
import io.corrosion.jdbc.intercept.InsertKeyRewrite;
import io.corrosion.jdbc.intercept.ParameterBinder;
import io.corrosion.jdbc.intercept.RowidKeyDdl;
import io.corrosion.jdbc.intercept.SqlPlan;
import io.corrosion.jdbc.intercept.StatementHook;
import io.corrosion.jdbc.intercept.StatementKind;
import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.intercept.TriggerKeyRewrite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The key allocator's statement hook: rewrites
 * <ul>
 *   <li>INSERT/UPSERT/REPLACE into a table whose single integer key is its rowid ({@link KeyTables}): a prepared
 *       single-row INSERT without the key gets the key column and a parameter appended, which the driver binds
 *       ({@link #parameterBinder}, {@link KeyBinder}); any other passes each row's key through
 *       {@code __corrosion_key} ({@link InsertKeyRewrite});</li>
 *   <li>CREATE TABLE so such a key is a rowid alias ({@link RowidKeyDdl}), and notes generator-shaped tables
 *       ({@link LocalTables});</li>
 *   <li>CREATE TRIGGER so the INSERTs of its body pass their keys through {@code __corrosion_trigger_key}, which
 *       names the table ({@link TriggerKeyRewrite}): a trigger outlives the handles of this file's open;</li>
 *   <li>Hibernate's generator SELECT/UPDATE into driver-answered calls ({@link GeneratorStatements}).</li>
 * </ul>
 * Local, TEMP and internal tables are left alone. Rewrites depend on the schema and are cached per file by SQL text
 * until the next DDL statement; everything else costs one map lookup.
 */
final class KeyStatementHook implements StatementHook {
    private static final Logger log = LoggerFactory.getLogger(KeyStatementHook.class);
    private static final int MAX_CACHED = 4096;
    private static final Pattern ROLLBACK_TO =
            Pattern.compile("ROLLBACK(\\s+TRANSACTION)?\\s+TO\\b", Pattern.CASE_INSENSITIVE);

    private final CorrosionConfig.NodeSettings node;
    private final LocalTables localTables;
    private final KeyTables keyTables;
    private final SchemaConnection schema;
    private final KeyTargets targets;
    private final KeyAllocator allocator;
    private final Function<SQLiteConnection, ConnectionKeys> connections;
    private final Map<String, Rewrite> rewrites = new ConcurrentHashMap<>();
    /** {@link #tableTarget} by table name as trigger bodies and changes spell it; until the next DDL statement. */
    private final Map<String, Optional<KeyTargets.KeyTarget>> tableTargets = new ConcurrentHashMap<>();
    private final AtomicLong schemaGeneration = new AtomicLong();
    /** The rewrite {@link #rewrite} just returned on this thread, for {@link #parameterBinder} right after it. */
    private final ThreadLocal<Rewrite> justRewritten = new ThreadLocal<>();

    /**
     * A SQL string as the hook rewrote it.
     *
     * @param original      the application's SQL
     * @param sql           what runs instead
     * @param boundKey      the key target whose value the driver binds to the last parameter; null if none
     * @param keyParameter  the index of that parameter
     */
    private record Rewrite(String original, String sql, KeyTargets.KeyTarget boundKey, int keyParameter) {
        static Rewrite unchanged(String sql) {
            return new Rewrite(sql, sql, null, 0);
        }
    }

    KeyStatementHook(CorrosionConfig.NodeSettings node, LocalTables localTables, KeyTables keyTables,
            SchemaConnection schema, KeyTargets targets, KeyAllocator allocator,
            Function<SQLiteConnection, ConnectionKeys> connections) {
        this.node = node;
        this.localTables = localTables;
        this.keyTables = keyTables;
        this.schema = schema;
        this.targets = targets;
        this.allocator = allocator;
        this.connections = connections;
    }

    @Override
    public String rewrite(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        Rewrite cached = ownRewrites(connection) ? null : rewrites.get(plan.sql());
        if (cached == null) {
            cached = compute(plan, connection);
        }
        if (cached.boundKey() != null) {
            justRewritten.set(cached);
        } else {
            justRewritten.remove(); // nothing for parameterBinder: no value left on the thread (an app server's)
        }
        return cached.sql();
    }

    @Override
    public ParameterBinder parameterBinder(SqlPlan plan, SQLiteConnection connection) {
        Rewrite rewrite = justRewritten.get();
        justRewritten.remove();
        if (rewrite == null || rewrite.boundKey() == null || !rewrite.original().equals(plan.sql())) {
            return null;
        }
        ConnectionKeys keys = connections.apply(connection);
        return keys == null ? null : new KeyBinder(keys, allocator, rewrite.boundKey(), rewrite.keyParameter());
    }

    /**
     * The connection's transaction changed the schema (an ALTER before an INSERT in one migration): its statements are
     * rewritten for the tables as it sees them, which no other connection does yet, and nothing of that is cached.
     */
    private boolean ownSchema(SQLiteConnection connection) {
        ConnectionKeys keys = connections.apply(connection);
        return keys != null && keys.inSchemaTransaction();
    }

    /**
     * Whether the connection's statements are rewritten for it alone, not cached for every connection: its schema
     * changes, or its TEMP tables and views, which hide the file's tables of the same name from its statements.
     */
    private boolean ownRewrites(SQLiteConnection connection) {
        ConnectionKeys keys = connections.apply(connection);
        return keys != null && (keys.inSchemaTransaction() || keys.madeTempObjects());
    }

    private Optional<TableKey> tableKey(SQLiteConnection connection, String table) throws SQLException {
        return ownSchema(connection) ? keyTables.lookupInTransaction(connection, table)
                : keyTables.lookup(schema.readerFor(connection), connection, table);
    }

    private Rewrite compute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        long generation = schemaGeneration.get();
        Rewrite result;
        if (plan.statements().size() == 1) {
            Rewrite one = rewriteOne(plan.first(), connection, true);
            result = one.sql().equals(plan.first().sql()) ? Rewrite.unchanged(plan.sql())
                    : new Rewrite(plan.sql(), one.sql(), one.boundKey(), one.keyParameter());
        } else {
            boolean changed = false;
            List<String> statements = new ArrayList<>(plan.statements().size());
            for (StatementPlan statement : plan.statements()) {
                String rewritten = rewriteOne(statement, connection, false).sql();
                changed |= !rewritten.equals(statement.sql());
                statements.add(rewritten);
            }
            result = changed ? new Rewrite(plan.sql(), String.join(";\n", statements), null, 0)
                    : Rewrite.unchanged(plan.sql());
        }
        boolean cacheable = plan.statements().stream() // noting generator tables, warning of triggers: side effects
                .noneMatch(s -> s.kind() == StatementKind.CREATE_TABLE || isCreateTrigger(s));
        if (cacheable && schemaGeneration.get() == generation && !ownRewrites(connection)) {
            if (rewrites.size() >= MAX_CACHED) {
                rewrites.clear();
            }
            rewrites.put(plan.sql(), result);
        }
        return result;
    }

    private Rewrite rewriteOne(StatementPlan statement, SQLiteConnection connection, boolean alone)
            throws SQLException {
        Optional<Rewrite> rewritten = switch (statement.kind()) {
            case INSERT, UPSERT, REPLACE -> insert(statement, connection, alone);
            case CREATE_TABLE -> createTable(statement).map(sql -> new Rewrite(statement.sql(), sql, null, 0));
            case READ -> generator(statement, true).map(sql -> new Rewrite(statement.sql(), sql, null, 0));
            case UPDATE -> generator(statement, false).map(sql -> new Rewrite(statement.sql(), sql, null, 0));
            case OTHER -> isCreateTrigger(statement)
                    ? createTrigger(statement, connection).map(sql -> new Rewrite(statement.sql(), sql, null, 0))
                    : Optional.empty();
            default -> Optional.empty();
        };
        return rewritten.orElse(Rewrite.unchanged(statement.sql()));
    }

    /**
     * The INSERT with its key allocated: for a prepared single-row INSERT without the key, the driver binds the key to
     * an appended {@code coalesce(?, <allocate>)} (the function only runs if nothing was bound); otherwise every
     * row's key passes through the function.
     */
    private Optional<Rewrite> insert(StatementPlan statement, SQLiteConnection connection, boolean alone)
            throws SQLException {
        if (statement.table().isEmpty() || localTables.isLocal(statement) || hiddenByTemp(statement, connection)) {
            return Optional.empty();
        }
        Optional<TableKey> key = tableKey(connection, statement.table().get());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        TableKey k = key.get();
        KeyTargets.KeyTarget target = target(k);
        String call = KeyFunctions.KEY + "(" + target.handle() + ", ";
        if (alone) {
            Optional<String> bound = InsertKeyRewrite.rewriteWithAppendedParameter(statement.sql(), k.column(),
                    "coalesce(?, " + call + "NULL))", k.rowidAliases());
            if (bound.isPresent()) {
                int parameter = InsertKeyRewrite.parameterCount(statement.sql()) + 1;
                return Optional.of(new Rewrite(statement.sql(), bound.get(), target, parameter));
            }
        }
        Optional<String> rewritten = InsertKeyRewrite.rewrite(statement.sql(), k.column(), k.position(),
                k.insertableColumns(), call, k.rowidAliases());
        if (rewritten.isEmpty()) {
            log.debug("INSERT into {} left as written: its shape is not one the key rewrite knows: {}", k.table(),
                    statement.sql());
        }
        return rewritten.map(sql -> new Rewrite(statement.sql(), sql, null, 0));
    }

    /** The statement names its table without a schema, and a TEMP table or view of that name hides the file's. */
    private boolean hiddenByTemp(StatementPlan statement, SQLiteConnection connection) throws SQLException {
        ConnectionKeys keys = connections.apply(connection);
        return statement.schema() == null && keys != null && keys.hiddenByTemp(statement.table().get());
    }

    private KeyTargets.KeyTarget target(TableKey k) {
        long maxId = IdScheme.is32Bit(k.declaredType()) && !node.hasInt64Keys(k.table())
                ? IdScheme.MAX_INT32_ID : IdScheme.MAX_INT64_ID;
        return targets.register(k.table(), k.column(), maxId);
    }

    private static boolean isCreateTrigger(StatementPlan statement) {
        return statement.kind() == StatementKind.OTHER && TriggerKeyRewrite.isCreateTrigger(statement.sql());
    }

    /** The trigger with its body's INSERTs allocating keys; a WARN for those whose shape keeps SQLite's keys. */
    private Optional<String> createTrigger(StatementPlan statement, SQLiteConnection connection) throws SQLException {
        TriggerKeyRewrite.Result result = TriggerKeyRewrite.rewrite(statement.sql(), table -> {
            if (localTables.isLocal(table)) {
                return Optional.empty();
            }
            return tableKey(connection, table).map(k -> new TriggerKeyRewrite
                    .InsertKey(k.column(), k.insertable(), k.rowidAliases(),
                            KeyFunctions.TRIGGER_KEY + "(" + Identifiers.literal(k.table()) + ", "));
        });
        for (String table : result.leftAsWritten()) {
            log.warn("Trigger {}: an INSERT into {} keeps SQLite's own keys (max(rowid) + 1) for rows that leave the "
                    + "key NULL, and another node can generate the same: an INSERT ... SELECT in a trigger gets the "
                    + "node's keys only if its column list leaves the key out. Give the key explicitly, or leave it "
                    + "out of the column list", statement.objectName(), table);
        }
        return result.sql().equals(statement.sql()) ? Optional.empty() : Optional.of(result.sql());
    }

    /**
     * The key target of {@code table}, read on {@code keys}' connection inside its statement or transaction: for
     * {@code __corrosion_trigger_key}, which runs inside a trigger's statement, and for merged rows
     * ({@link KeysExtension#keyMerged}). Null if the driver gives the table no keys (a local table, a table without an
     * integer rowid key, one dropped and created again since the trigger was, or one this node does not have).
     */
    KeyTargets.KeyTarget tableTarget(ConnectionKeys keys, String table) throws SQLException {
        Optional<KeyTargets.KeyTarget> cached = tableTargets.get(table);
        if (cached != null) {
            return cached.orElse(null);
        }
        long generation = schemaGeneration.get();
        SQLiteConnection c = keys.connection();
        Optional<KeyTargets.KeyTarget> target = localTables.isLocal(table) ? Optional.empty()
                : Reentrant.run(c, () -> keyTables.lookup(schema.readerFor(c), c, table)).map(this::target);
        if (schemaGeneration.get() == generation) {
            tableTargets.put(table, target);
        }
        return target.orElse(null);
    }

    private Optional<String> createTable(StatementPlan statement) {
        Optional<CreateTableShape> shape = CreateTableShape.parse(statement.sql());
        if (shape.isEmpty()) {
            return Optional.empty();
        }
        localTables.noteCreated(shape.get());
        if (shape.get().temporary() || localTables.isLocal(shape.get().table())) {
            return Optional.empty();
        }
        return RowidKeyDdl.convertibleKey(shape.get()).map(key -> RowidKeyDdl.rewrite(statement.sql(), key));
    }

    private Optional<String> generator(StatementPlan statement, boolean select) {
        Optional<String> table = GeneratorStatements.table(statement.sql());
        if (table.isEmpty() || !localTables.isGeneratorTable(table.get())) {
            return Optional.empty();
        }
        return select ? GeneratorStatements.rewriteSelect(statement.sql(), KeyFunctions.GENERATOR_NEXT)
                : GeneratorStatements.rewriteUpdate(statement.sql(), KeyFunctions.GENERATOR_ACCEPT);
    }

    @Override
    public void afterExecute(SqlPlan plan, SQLiteConnection connection) throws SQLException {
        for (StatementPlan statement : plan.statements()) {
            if (statement.temporary() && (statement.kind() == StatementKind.CREATE_TABLE
                    || statement.kind() == StatementKind.OTHER)) {
                tempObjectCreated(connection);
            }
            if (statement.kind().isDdl()) {
                schemaChanged();
                ConnectionKeys keys = connections.apply(connection);
                if (keys != null) {
                    keys.noteDdl();
                    renamed(statement, keys);
                }
            } else if (statement.kind() == StatementKind.TRANSACTION && isRollbackTo(statement.sql())) {
                distrust(connection);
            }
        }
    }

    /**
     * A TEMP table or view that is not local by its name (Hibernate's HTE_ tables are) may hide a table of the file:
     * the connection's INSERTs are rewritten for it alone from then on. Reads only the TEMP schema, which starts no
     * snapshot of the file.
     */
    private void tempObjectCreated(SQLiteConnection connection) throws SQLException {
        ConnectionKeys keys = connections.apply(connection);
        if (keys == null || keys.madeTempObjects()) {
            return;
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM temp.sqlite_master WHERE type IN ('table', 'view')")) {
            while (rs.next()) {
                if (!localTables.isLocal(rs.getString(1))) {
                    keys.noteTempObject();
                    return;
                }
            }
        }
    }

    /** After {@code ALTER TABLE ... RENAME TO}, still in its transaction: the table's key counter follows it. */
    private void renamed(StatementPlan statement, ConnectionKeys keys) throws SQLException {
        if (statement.kind() == StatementKind.ALTER_TABLE && statement.table().isPresent()) {
            Optional<String> to = CrrTableDdl.renamedTo(statement.sql());
            if (to.isPresent()) {
                allocator.renamed(keys, statement.table().get(), to.get());
                renameInTriggers(keys.connection(), statement.table().get(), to.get());
            }
        }
    }

    /**
     * SQLite renamed the table in the trigger bodies that insert into it, but not in their allocating calls' string
     * literal: those triggers are created again with the new name there, in the rename's transaction, keeping their
     * tables' trigger order ({@link TableTriggers}); this connection's TEMP triggers too (SQLite renames nothing in
     * other connections' TEMP triggers either).
     */
    private static void renameInTriggers(SQLiteConnection c, String from, String to) throws SQLException {
        Pattern call = Pattern.compile(Pattern.quote(KeyFunctions.TRIGGER_KEY + "(" + Identifiers.literal(from) + ","),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        String renamed = Matcher.quoteReplacement(KeyFunctions.TRIGGER_KEY + "(" + Identifiers.literal(to) + ",");
        for (String schema : List.of("main", "temp")) {
            TableTriggers.remake(c, schema, (name, sql) -> call.matcher(sql).replaceAll(renamed));
        }
    }

    @Override
    public void afterFailure(SqlPlan plan, SQLiteConnection connection) {
        distrust(connection);
    }

    void schemaChanged() {
        schemaGeneration.incrementAndGet();
        keyTables.invalidate();
        rewrites.clear();
        tableTargets.clear();
    }

    private void distrust(SQLiteConnection connection) {
        ConnectionKeys keys = connections.apply(connection);
        if (keys != null) {
            keys.distrust();
        }
    }

    private static boolean isRollbackTo(String sql) {
        return ROLLBACK_TO.matcher(sql).lookingAt();
    }

    @Override
    public String toString() {
        return "KeyStatementHook";
    }
}
