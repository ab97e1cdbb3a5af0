package io.corrosion.jdbc.replication;

import io.corrosion.gossip.SiteId;
import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.MissingSchemaException;
import io.corrosion.jdbc.SqlErrors;
import io.corrosion.jdbc.node.DroppedSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote changes and this node's schema: merges what the schema takes and keeps ({@link PendingChanges}) what names a
 * table or column this node does not have yet; merges the kept changes once the schema has them. On the agent's
 * writer connection: {@link #mergeOrKeep} in the caller's transaction, {@link #mergeKeptChanges} in one of its own.
 */
final class KeptChanges {
    private static final Logger LOG = LoggerFactory.getLogger(KeptChanges.class);

    private final String name;
    private final WriterConnection writer;
    private final PendingChanges pending;
    private final AgentCounters counters;
    private final Consumer<List<AppliedVersion>> applied;
    /** Dropped tables and columns ({@code table.column}, lower-cased) whose changes were logged as left out. */
    private final Set<String> loggedDropped = new HashSet<>();
    /** The schema version the kept changes were last looked at under. */
    private long schemaVersion = -1;

    KeptChanges(String name, WriterConnection writer, PendingChanges pending, AgentCounters counters,
            Consumer<List<AppliedVersion>> applied) {
        this.name = name;
        this.writer = writer;
        this.pending = pending;
        this.counters = counters;
        this.applied = applied;
    }

    /**
     * Whether merging failed because of the changes rather than the node: malformed for the CRR engine, beyond the
     * bound of changes kept for a missing schema, or refused by this node's tables (a constraint, a type, a size:
     * their schemas differ between nodes). Such a changeset is rejected and the rest of its batch applies; anything
     * else (busy, I/O, a full disk) fails the batch, which comes again.
     */
    static boolean refused(SQLException e) {
        if (e instanceof MissingSchemaException || e instanceof PendingChanges.Full) {
            return true;
        }
        String state = SqlErrors.translate(e).getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.equals("54000"));
    }

    /**
     * Merges changes; those naming a table or column this node does not have are kept for later.
     *
     * @param arriving new arrivals, which must fit the pending bound (changes taken out of it and kept again need not)
     */
    Merge mergeOrKeep(List<Change> changes, boolean arriving) throws SQLException {
        try {
            return new Merge(changes, writer.crr().apply(changes));
        } catch (MissingSchemaException missing) {
            PendingChanges.Split split = PendingChanges.split(changes, missing);
            if (split.missing().isEmpty()) {
                throw missing;
            }
            List<Change> ofDropped = new ArrayList<>();
            List<Change> waiting = splitDropped(split.missing(), ofDropped);
            if (arriving) {
                pending.admit(waiting);
            }
            pending.keep(waiting);
            pending.keep(ofDropped, false);
            if (arriving) {
                counters.changesKeptForSchema.add(split.missing().size());
                counters.changesOfDroppedSchema.add(ofDropped.size());
            }
            LOG.debug("[{}] {} changes wait for their schema: {}", name, split.missing().size(), missing.getMessage());
            return split.applicable().isEmpty() ? new Merge(List.of(), 0) : mergeOrKeep(split.applicable(), arriving);
        }
    }

    /**
     * The changes that name a table or column this node has not dropped ({@link DroppedSchema}), which wait for their
     * schema within the bound; the others go to {@code ofDropped} (an INFO the first time for each name). Those are
     * kept too, outside the bound: this node passes them on to peers that ask (their versions count as complete here,
     * and a node that has the name takes them from it), and merges them if it gets the name back.
     */
    private List<Change> splitDropped(List<Change> missing, List<Change> ofDropped) throws SQLException {
        Connection c = writer.crr().connection();
        if (!DroppedSchema.exists(c)) {
            return missing;
        }
        List<Change> waiting = new ArrayList<>();
        Map<String, Boolean> dropped = new HashMap<>();
        for (Change ch : missing) {
            String what = droppedName(c, ch, dropped);
            if (what == null) {
                waiting.add(ch);
            } else {
                ofDropped.add(ch);
                if (loggedDropped.add(what.toLowerCase(Locale.ROOT))) {
                    LOG.info("[{}] changes of {}, which this node dropped, are kept outside the bound of changes kept"
                            + " for their schema (other nodes still write it; they are passed on to nodes that ask)",
                            name, what);
                }
            }
        }
        return waiting;
    }

    /** The dropped table ({@code table}) or column ({@code table.column}) a change names; null if it names neither. */
    private static String droppedName(Connection c, Change ch, Map<String, Boolean> dropped) throws SQLException {
        if (isDropped(c, ch.table(), "", dropped)) {
            return ch.table();
        }
        return !ch.isSentinel() && isDropped(c, ch.table(), ch.cid(), dropped) ? ch.table() + "." + ch.cid() : null;
    }

    private static boolean isDropped(Connection c, String table, String column, Map<String, Boolean> dropped)
            throws SQLException {
        String key = table + "." + column;
        Boolean is = dropped.get(key);
        if (is == null) {
            is = DroppedSchema.isDropped(c, table, column);
            dropped.put(key, is);
        }
        return is;
    }

    /** What {@link #mergeOrKeep} merged (the rest it kept for their schema), and the rows that impacted. */
    record Merge(List<Change> merged, long impacted) {
    }

    /**
     * Merges kept changes whose table or column exists now, if the schema changed since the last look. Agent
     * thread. Returns the changes merged.
     */
    long mergeKeptChanges() throws SQLException {
        long current = writer.locked(() -> {
            try (Statement s = writer.crr().connection().createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA schema_version")) {
                return rs.next() ? rs.getLong(1) : -1L;
            }
        });
        if (current == schemaVersion) {
            return 0;
        }
        List<AppliedVersion> merged = new ArrayList<>();
        long mergedChanges;
        try {
            mergedChanges = writer.transaction(() -> mergeKept(merged));
        } catch (SQLException | RuntimeException e) {
            writer.locked(() -> {
                pending.rolledBack();
                return null;
            });
            throw e;
        }
        schemaVersion = current;
        if (!merged.isEmpty()) {
            counters.changesMergedAfterSchema.add(mergedChanges);
            LOG.info("[{}] merged {} changes of {} versions kept until their schema arrived; {} still wait", name,
                    mergedChanges, merged.size(), pending.count());
            applied.accept(merged);
        }
        return mergedChanges;
    }

    private long mergeKept(List<AppliedVersion> merged) throws SQLException {
        pending.rolledBack(); // the schema changed: kept changes of a name dropped since no longer count
        Set<String> tables = pending.tables();
        tables.retainAll(writer.crr().crrTables());
        Map<List<Object>, List<Change>> byVersion = new LinkedHashMap<>();
        for (Change c : pending.takeFor(tables)) {
            byVersion.computeIfAbsent(List.of(SiteId.of(c.siteId()), c.dbVersion()), k -> new ArrayList<>()).add(c);
        }
        long count = 0;
        for (List<Change> version : byVersion.values()) {
            Change first = version.get(0);
            Merge merge;
            try {
                merge = mergeOrKeep(version, false); // atomic: the engine undoes a merge that fails
            } catch (SQLException e) {
                if (!refused(e)) {
                    throw e;
                }
                // This node's table refuses the version: it stays kept, for a later schema, and the others go on.
                pending.keep(version);
                LOG.warn("[{}] the {} changes of version {} of site {} kept until their schema arrived do not merge"
                        + " into it: {}; they stay kept until the schema changes again", name, version.size(),
                        first.dbVersion(), SiteId.of(first.siteId()), e.getMessage());
                continue;
            }
            if (!merge.merged().isEmpty()) {
                merged.add(AppliedVersion.of(SiteId.of(first.siteId()), first.dbVersion(), merge.merged(), merge.impacted(),
                        0));
                count += merge.merged().size();
            }
        }
        return count;
    }
}
