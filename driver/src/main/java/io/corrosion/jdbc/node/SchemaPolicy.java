package io.corrosion.jdbc.node;

import io.corrosion.jdbc.intercept.StatementPlan;
import io.corrosion.jdbc.keys.LocalTables;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tables of the file replicate: every table in the database file itself, unless {@link LocalTables} keeps it
 * local, or it existed before the driver and cannot be a CRR ({@link #leaveLocal}), which stays an ordinary local
 * table with a WARN at every open.
 */
final class SchemaPolicy {
    private final LocalTables localTables;
    private final Map<String, String> leftLocal = new ConcurrentHashMap<>();

    SchemaPolicy(LocalTables localTables) {
        this.localTables = localTables;
    }

    LocalTables localTables() {
        return localTables;
    }

    /** True if the statement's target table replicates (or will, once created). */
    boolean replicates(StatementPlan plan) {
        return plan.targetsMainSchema() && plan.table().isPresent() && replicates(plan.table().get());
    }

    boolean replicates(String table) {
        return !localTables.isLocal(table) && !leftLocal.containsKey(table.toLowerCase(Locale.ROOT));
    }

    /** A table that existed before the driver and cannot be a CRR: it stays local, for {@code why}. */
    void leaveLocal(String table, String why) {
        leftLocal.put(table.toLowerCase(Locale.ROOT), why);
    }

    /** The table is gone (dropped): a new one of that name replicates again. */
    void forget(String table) {
        leftLocal.remove(table.toLowerCase(Locale.ROOT));
    }

    /** The tables left local because they cannot be CRRs, with why (lower-cased names). */
    Map<String, String> leftLocal() {
        return Map.copyOf(leftLocal);
    }
}
