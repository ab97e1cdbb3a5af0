package io.corrosion.jdbc.keys;

import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.InternalTables;
import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.GeneratorStatements;
import io.corrosion.jdbc.intercept.StatementPlan;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * The one policy for tables that stay on this node: ordinary SQLite tables, never CRRs, never replicated, and no
 * node-private keys allocated in them. The CRR engine asks {@link #isLocal(String)} (or {@link #isLocal(StatementPlan)},
 * which also knows TEMP tables) before it turns a table into a CRR or captures its changes.
 *
 * <p>Local are:
 * <ul>
 *   <li>the driver's own tables: {@code __corrosion_*}, {@code crsql_*}, {@code *__crsql_*}
 *       ({@link InternalTables}), except the slot claims {@value #REPLICATED_INTERNAL};</li>
 *   <li>SQLite's: {@code sqlite_*};</li>
 *   <li>Hibernate's scratch tables {@code HTE_*} (bulk mutations);</li>
 *   <li>Hibernate's id-generator tables: names ending in {@code _SEQ}, {@code hibernate_sequences},
 *       {@code hibernate_sequence}, and any table shaped like one — only the column {@code next_val} (a sequence
 *       table, e.g. a {@code @SequenceGenerator} on SQLite), or {@code next_val} plus a {@code sequence_name} primary key
 *       (a {@code @TableGenerator} table) — seen in a CREATE TABLE or in the schema when the file was opened;</li>
 *   <li>migration histories: Flyway's {@code flyway_schema_history}, Liquibase's {@code databasechangelog} and
 *       {@code databasechangeloglock} (each node runs its own migrations);</li>
 *   <li>every table named in the {@code local-tables} property: names and globs ({@code *}, {@code ?});</li>
 *   <li>TEMP tables (they live in the connection's temp schema): {@link #isLocal(StatementPlan)}.</li>
 * </ul>
 * Names compare ignoring case, as SQLite does.
 */
public final class LocalTables {
    /**
     * The node slot claims, {@code __corrosion_node_slots}: internal (hidden from the application) but meant to be
     * replicated, so not local. Nothing makes it a CRR on its own; the replication layer does.
     */
    public static final String REPLICATED_INTERNAL = KeysSchema.SLOTS_TABLE;

    /**
     * The migration histories of Flyway ({@code flyway_schema_history}) and Liquibase ({@code databasechangelog} and
     * its lock): each node runs its own migrations, so each keeps its own record of them. Replicated, a node upgraded
     * after another found the new migrations recorded as applied, skipped them, and never had their tables.
     */
    private static final Set<String> MIGRATION_HISTORIES =
            Set.of("flyway_schema_history", "databasechangelog", "databasechangeloglock");

    private final CorrosionConfig.NodeSettings node;
    private final Set<String> generatorTables = ConcurrentHashMap.newKeySet();

    public LocalTables(CorrosionConfig.NodeSettings node) {
        this.node = node;
    }

    /** True if the table named so stays local. */
    public boolean isLocal(String table) {
        return isLocalByName(table) || generatorTables.contains(table.toLowerCase(Locale.ROOT))
                || node.isLocalTable(table);
    }

    /** True if the statement's target table stays local: a TEMP table, or {@link #isLocal(String)}. */
    public boolean isLocal(StatementPlan plan) {
        return plan.temporary() || plan.table().map(this::isLocal).orElse(false);
    }

    /**
     * The rules that need nothing but the name. The one internal table that is not local is the slot claims table
     * ({@link #REPLICATED_INTERNAL}): the replication layer makes it a CRR itself.
     */
    public static boolean isLocalByName(String table) {
        String name = table.toLowerCase(Locale.ROOT);
        if (name.equals(REPLICATED_INTERNAL)) {
            return false;
        }
        return InternalTables.isInternal(name) || name.startsWith("sqlite_") || name.startsWith("hte_")
                || isGeneratorName(name) || MIGRATION_HISTORIES.contains(name);
    }

    /** True if the table is one of Hibernate's id-generator tables, by name or by shape. */
    public boolean isGeneratorTable(String table) {
        String name = table.toLowerCase(Locale.ROOT);
        return isGeneratorName(name) || generatorTables.contains(name);
    }

    private static boolean isGeneratorName(String lowerCaseName) {
        return lowerCaseName.endsWith("_seq") || lowerCaseName.equals("hibernate_sequences")
                || lowerCaseName.equals("hibernate_sequence");
    }

    /** Remembers a table created with an id generator's shape. */
    void noteCreated(CreateTableShape shape) {
        if (hasGeneratorShape(shape.lowerCaseColumnNames(), shape.primaryKey())) {
            generatorTables.add(shape.table().toLowerCase(Locale.ROOT));
        }
    }

    /** Finds the generator-shaped tables of an existing schema. */
    void scan(SQLiteConnection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND sql LIKE "
                        + "'%" + GeneratorStatements.VALUE_COLUMN + "%'")) {
            while (rs.next()) {
                CreateTableShape.parse(rs.getString(1)).ifPresent(this::noteCreated);
            }
        }
    }

    static boolean hasGeneratorShape(List<String> lowerCaseColumns, List<String> primaryKey) {
        if (lowerCaseColumns.equals(List.of(GeneratorStatements.VALUE_COLUMN))) {
            return true;
        }
        return lowerCaseColumns.size() == 2 && lowerCaseColumns.contains(GeneratorStatements.VALUE_COLUMN)
                && lowerCaseColumns.contains(GeneratorStatements.SEGMENT_COLUMN) && primaryKey.size() == 1
                && primaryKey.get(0).equalsIgnoreCase(GeneratorStatements.SEGMENT_COLUMN);
    }
}
