package io.corrosion.jdbc.crr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random crsqlite-oracle scenarios: several nodes write to a few small tables with colliding keys (inserts,
 * updates, primary-key changes, deletes, upserts, INSERT OR REPLACE, multi-statement transactions), sync in
 * random directions and orders with partial and repeated deliveries, and finally exchange everything.
 */
final class RandomScenario {
    static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER, c BLOB, d REAL DEFAULT 0);"
            + " SELECT crsql_as_crr('t');"
            + " CREATE TABLE s(k TEXT NOT NULL PRIMARY KEY, v, w TEXT DEFAULT 'w'); SELECT crsql_as_crr('s');"
            + " CREATE TABLE p(x INTEGER NOT NULL, y TEXT NOT NULL, z, PRIMARY KEY (y, x)); SELECT crsql_as_crr('p');"
            + " CREATE TABLE o(id INTEGER PRIMARY KEY NOT NULL); SELECT crsql_as_crr('o');";

    private static final String[] VALUES = {"NULL", "0", "1", "2", "3", "'a'", "'b'", "'zz'", "1.5", "2.0", "x'01'", "x'0102'", "''"};
    private static final String[] NAMES = {"a", "b", "c", "d"};

    private final Random rnd;
    private final boolean foreignChanges;
    private final boolean generatedKeys;
    private final List<String> nodes = new ArrayList<>();

    private RandomScenario(long seed, int nodeCount, boolean foreignChanges, boolean generatedKeys) {
        this.rnd = new Random(seed);
        this.foreignChanges = foreignChanges;
        this.generatedKeys = generatedKeys;
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(String.valueOf((char) ('a' + i)));
        }
    }

    /** A scenario for differential runs: real nodes' writes plus arbitrary foreign changes. */
    static ObjectNode generate(long seed) {
        return generate(seed, true);
    }

    /**
     * @param foreignChanges also apply arbitrary changes no real node would produce (e.g. col_version 0 of a live
     *     row); they exercise every merge branch, but cr-sqlite gives no convergence guarantee for such histories
     */
    static ObjectNode generate(long seed, boolean foreignChanges) {
        Random r = new Random(seed);
        return new RandomScenario(seed, 3 + r.nextInt(3), foreignChanges, false).build(10 + r.nextInt(40));
    }

    /**
     * A scenario of real nodes' writes that also inserts rows without their key, as Hibernate's IDENTITY inserts do:
     * through the driver each node allocates such keys from its own range.
     */
    static ObjectNode generateWithGeneratedKeys(long seed) {
        Random r = new Random(seed);
        return new RandomScenario(seed, 3 + r.nextInt(3), false, true).build(10 + r.nextInt(40));
    }

    private ObjectNode build(int steps) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode ops = f.arrayNode();
        for (String n : nodes) {
            ops.add(f.objectNode().put("node", n).put("sql", rnd.nextInt(4) == 0 ? "SELECT crsql_config_set('merge-equal-values', 1)" : "SELECT 1"));
        }
        for (int i = 0; i < steps; i++) {
            int k = rnd.nextInt(10);
            if (k < 5) {
                ops.add(f.objectNode().put("node", pick(nodes)).put("sql", write()));
            } else if (k == 5 && foreignChanges) {
                ops.add(rawApply(f));
            } else {
                String a = pick(nodes);
                String b = pick(nodes);
                if (a.equals(b)) {
                    continue;
                }
                ObjectNode sync = f.objectNode();
                sync.set("sync", f.arrayNode().add(a).add(b));
                if (rnd.nextInt(4) == 0) {
                    sync.put("mode", "all");
                }
                if (rnd.nextInt(5) == 0) {
                    sync.put("where", pick(new String[] {"cid <> 'a'", "cid = '-1'", "db_version > 1", "\"table\" = 't'", "seq > 0"}));
                }
                ops.add(sync);
            }
        }
        for (int round = 0; round < 2; round++) {
            for (String a : nodes) {
                for (String b : nodes) {
                    if (!a.equals(b)) {
                        ObjectNode sync = f.objectNode();
                        sync.set("sync", f.arrayNode().add(a).add(b));
                        sync.put("mode", "all");
                        ops.add(sync);
                    }
                }
            }
        }
        ObjectNode scenario = f.objectNode().put("schema", SCHEMA);
        scenario.set("ops", ops);
        return scenario;
    }

    /** Arbitrary changes from foreign sites, as a buggy or malicious peer might send: every merge branch. */
    private ObjectNode rawApply(JsonNodeFactory f) {
        ArrayNode changes = f.arrayNode();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            ObjectNode c = f.objectNode();
            c.put("table", "t");
            c.put("pk", "0109" + String.format("%02X", 1 + rnd.nextInt(4)));
            String cid = pick(new String[] {"-1", "a", "b", "c", "d"});
            long cl = 1 + rnd.nextInt(5);
            c.put("cid", cl % 2 == 0 ? "-1" : cid);
            Object v = pick(new Object[] {null, 0L, 1L, "a", "zz", 1.5, "blob"});
            if (v == null || c.get("cid").asText().equals("-1")) {
                c.putNull("val");
            } else if (v instanceof Long l) {
                c.put("val", l);
            } else if (v instanceof Double d) {
                c.set("val", f.objectNode().put("real", d));
            } else if (v.equals("blob")) {
                c.set("val", f.objectNode().put("blob", "0102"));
            } else {
                c.put("val", (String) v);
            }
            c.put("col_version", c.get("cid").asText().equals("-1") ? cl : rnd.nextInt(5));
            c.put("db_version", 1 + rnd.nextInt(6));
            c.put("site_id", pick(new String[] {"0A", "0B", "0C"}).repeat(16));
            c.put("cl", cl);
            c.put("seq", rnd.nextInt(4));
            changes.add(c);
        }
        ObjectNode op = f.objectNode().put("node", pick(nodes));
        op.set("apply", changes);
        return op;
    }

    private String write() {
        if (rnd.nextInt(5) == 0) {
            StringBuilder tx = new StringBuilder("BEGIN; ");
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                tx.append(safeWrite()).append("; ");
            }
            return tx.append("COMMIT;").toString();
        }
        return rnd.nextInt(3) == 0 ? riskyWrite() : safeWrite();
    }

    /** Statements that never fail (so a transaction around them always commits). */
    private String safeWrite() {
        return switch (rnd.nextInt(generatedKeys ? 11 : 9)) {
            case 9 -> "INSERT INTO t (a, b) VALUES (" + v() + ", " + v() + ")";
            case 10 -> "INSERT INTO t (a, d) VALUES (" + v() + ", 2.5), (" + v() + ", " + v() + ")";
            case 0 -> "INSERT OR REPLACE INTO t VALUES (" + id() + ", " + v() + ", " + v() + ", " + v() + ", " + v() + ")";
            case 1 -> "INSERT INTO t (id, " + pick(NAMES) + ") VALUES (" + id() + ", " + v() + ") ON CONFLICT(id) DO UPDATE SET a = excluded.a";
            case 2 -> "UPDATE t SET " + pick(NAMES) + " = " + v() + (rnd.nextBoolean() ? ", " + pick(NAMES) + " = " + v() : "") + " WHERE id = " + id();
            case 3 -> "DELETE FROM t WHERE id = " + id();
            case 4 -> "INSERT OR REPLACE INTO s VALUES (" + key() + ", " + v() + ", " + v() + ")";
            case 5 -> "UPDATE s SET v = " + v() + " WHERE k = " + key();
            case 6 -> "DELETE FROM " + pick(new String[] {"s", "o"}) + " WHERE " + (rnd.nextBoolean() ? "rowid % 2 = 0" : "1");
            case 7 -> "INSERT OR REPLACE INTO p VALUES (" + id() + ", " + key() + ", " + v() + ")";
            default -> "INSERT OR IGNORE INTO o VALUES (" + id() + ")";
        };
    }

    /** Statements that may fail (duplicate keys), as applications' would. */
    private String riskyWrite() {
        return switch (rnd.nextInt(6)) {
            case 0 -> "INSERT INTO t (id, a, b) VALUES (" + id() + ", " + v() + ", " + v() + ")";
            case 1 -> "UPDATE t SET id = " + id() + " WHERE id = " + id();
            case 2 -> "UPDATE OR REPLACE t SET id = " + id() + ", b = " + v() + " WHERE id = " + id();
            case 3 -> "UPDATE s SET k = " + key() + " WHERE k = " + key();
            case 4 -> "UPDATE p SET x = " + id() + " WHERE y = " + key();
            default -> "INSERT INTO o VALUES (" + id() + ")";
        };
    }

    private String id() {
        return String.valueOf(1 + rnd.nextInt(4));
    }

    private String key() {
        return pick(new String[] {"'k1'", "'k2'", "'k3'"});
    }

    private String v() {
        return pick(VALUES);
    }

    private Object pick(Object[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private String pick(String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private String pick(List<String> a) {
        return a.get(rnd.nextInt(a.size()));
    }
}
