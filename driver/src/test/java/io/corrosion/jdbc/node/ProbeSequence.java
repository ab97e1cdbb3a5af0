package io.corrosion.jdbc.node;

import io.corrosion.jdbc.node.ProbeDdl.Ddl;
import io.corrosion.jdbc.node.ProbeSchema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Chooses the probe's next statement from the schema as it stands (weighted, simple statements most often). */
final class ProbeSequence {
    enum Kind { DDL, DML, QUERY, TXN, ALL_OF_STRING, FIRST_OF_STRING, SYNC }

    /** One statement; {@code ddl} is what it does to the model when it succeeds. */
    record Step(String sql, Kind kind, Ddl ddl) {
        static Step of(Ddl d) {
            return new Step(d.sql(), Kind.DDL, d);
        }

        /** Marks a string of which {@code execute} runs only the first statement, in the log and in a replay. */
        static final String FIRST_ONLY = "[first only] ";
        /** Sends the first node's changes to the second one (no statement), in the log and in a replay. */
        static final String SYNC = "[sync]";

        /** A statement of a replayed sequence, its kind told by its first word. */
        static Step of(String sql) {
            if (sql.startsWith(SYNC)) {
                return new Step(sql, Kind.SYNC, null);
            }
            if (sql.startsWith(FIRST_ONLY)) {
                return new Step(sql.substring(FIRST_ONLY.length()), Kind.FIRST_OF_STRING, null);
            }
            String first = sql.trim().split("\\s+")[0].toUpperCase();
            Kind kind = sql.contains("; ") && !sql.contains(" BEGIN ") ? Kind.ALL_OF_STRING
                    : List.of("CREATE", "ALTER", "DROP").contains(first) ? Kind.DDL
                    : List.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE").contains(first) ? Kind.TXN
                    : first.equals("SELECT") ? Kind.QUERY : Kind.DML;
            return new Step(sql, kind, null);
        }
    }

    final ProbeSchema schema = new ProbeSchema();
    private final ProbeValues v;
    private final ProbeDdl ddl;
    private final ProbeTriggers triggers;
    final ProbeDml dml;
    private final List<Step> pending = new ArrayList<>();
    private final List<String> savepoints = new ArrayList<>();

    ProbeSequence(long seed) {
        this.v = new ProbeValues(new Random(seed));
        this.ddl = new ProbeDdl(schema, v);
        this.triggers = new ProbeTriggers(schema, v);
        this.dml = new ProbeDml(schema, v);
    }

    Step next() {
        if (!pending.isEmpty()) {
            return pending.remove(0);
        }
        boolean inTxn = dml.inTxn;
        if (!inTxn && v.chance(6)) {
            return new Step(Step.SYNC, Kind.SYNC, null);
        }
        if (!inTxn && (schema.tables.size() < 2 || schema.tables.size() < 4 && v.chance(6))) {
            return Step.of(ddl.createTable());
        }
        Table t = schema.pick(v.rnd());
        if (t == null) {
            return txn();
        }
        int roll = v.upTo(100);
        if (!inTxn && roll < 22) {
            return schemaChange(t);
        }
        if (roll < 30) {
            return txn();
        }
        if (roll < 36) {
            return new Step(dml.query(t), Kind.QUERY, null);
        }
        if (roll < 42) {
            Kind kind = v.chance(50) ? Kind.ALL_OF_STRING : Kind.FIRST_OF_STRING;
            dml.inString = true; // a statement the node refuses would leave the ones before it in the string done
            String string = write(t) + "; " + write(schema.pick(v.rnd())) + (v.chance(30) ? "; " + write(t) : "");
            dml.inString = false;
            return new Step(string, kind, null);
        }
        if (roll < 46 && !schema.views.isEmpty()) {
            return new Step(dml.view(v.one(new ArrayList<>(schema.views.values()))), Kind.DML, null);
        }
        return new Step(write(t), Kind.DML, null);
    }

    private String write(Table t) {
        int roll = v.upTo(100);
        return roll < 62 ? dml.insert(t) : roll < 88 ? dml.update(t) : dml.delete(t);
    }

    private Step schemaChange(Table t) {
        int roll = v.upTo(100);
        if (roll < 20) {
            return Step.of(ddl.createIndex(t));
        }
        if (roll < 27) {
            return Step.of(ddl.dropIndex(t));
        }
        if (roll < 50) {
            return Step.of(ddl.alter(t));
        }
        if (roll < 57) {
            return Step.of(ddl.dropTable(t));
        }
        if (roll < 65 && schema.tables.size() < 5) {
            return Step.of(ddl.createTable());
        }
        if (roll < 75) {
            List<Ddl> view = triggers.view(t);
            view.subList(1, view.size()).forEach(d -> pending.add(Step.of(d)));
            return Step.of(view.get(0));
        }
        Ddl trigger = triggers.trigger(t);
        return trigger == null ? Step.of(ddl.createIndex(t)) : Step.of(trigger);
    }

    private Step txn() {
        if (!dml.inTxn) {
            savepoints.clear();
            if (v.chance(25)) {
                String sp = schema.fresh("sp");
                savepoints.add(sp);
                return new Step("SAVEPOINT " + sp, Kind.TXN, null);
            }
            return new Step(v.one(List.of("BEGIN", "BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN TRANSACTION")), Kind.TXN, null);
        }
        int roll = v.upTo(100);
        if (roll < 25) {
            String sp = schema.fresh("sp");
            savepoints.add(sp);
            return new Step("SAVEPOINT " + sp, Kind.TXN, null);
        }
        if (roll < 50 && !savepoints.isEmpty()) {
            String sp = v.one(savepoints);
            boolean release = v.chance(50);
            if (release) {
                savepoints.subList(savepoints.indexOf(sp), savepoints.size()).clear();
            }
            return new Step((release ? "RELEASE " : "ROLLBACK TO ") + sp, Kind.TXN, null);
        }
        return new Step(v.one(List.of("COMMIT", "COMMIT", "END", "ROLLBACK")), Kind.TXN, null);
    }
}
