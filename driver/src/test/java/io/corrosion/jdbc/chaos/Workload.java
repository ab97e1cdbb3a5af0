package io.corrosion.jdbc.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream of application transactions over a small key space, so nodes conflict often: upserts, single-column
 * updates, deletes and re-inserts, {@code INSERT OR REPLACE} on a composite key, and now and then several statements
 * in one transaction. Values carry the writing node and a counter, so every value names its write.
 */
public final class Workload {
    public static final List<String> CREATE_TABLES = List.of(
            "CREATE TABLE kv (k INTEGER PRIMARY KEY NOT NULL, a TEXT, b INTEGER)",
            "CREATE TABLE tag (owner TEXT NOT NULL, name TEXT NOT NULL, note TEXT, PRIMARY KEY (owner, name))");
    public static final List<ReplicaState.Table> TABLES = List.of(
            new ReplicaState.Table("kv", List.of("k")),
            new ReplicaState.Table("tag", List.of("owner", "name")));

    private static final String[] OWNERS = {"ann", "bob"};
    private static final String[] NAMES = {"red", "green", "blue"};

    private final SplittableRandom random;
    private final int keys;
    private long counter;

    /** @param keys rows of {@code kv} written to (fewer: more conflicts) */
    public Workload(SplittableRandom random, int keys) {
        this.random = random;
        this.keys = keys;
    }

    public static List<String> tableNames() {
        return TABLES.stream().map(ReplicaState.Table::name).toList();
    }

    /** The statements of one transaction written on {@code node}: one, or two to three inside BEGIN/COMMIT. */
    public List<String> nextTransaction(String node) {
        int statements = random.nextInt(6) == 0 ? 2 + random.nextInt(2) : 1;
        List<String> out = new ArrayList<>();
        if (statements > 1) {
            out.add("BEGIN");
        }
        for (int i = 0; i < statements; i++) {
            out.add(nextStatement(node));
        }
        if (statements > 1) {
            out.add("COMMIT");
        }
        return out;
    }

    private String nextStatement(String node) {
        counter++;
        String value = "'" + node + "-" + counter + "'";
        long k = 1 + random.nextInt(keys);
        String owner = "'" + OWNERS[random.nextInt(OWNERS.length)] + "'";
        String name = "'" + NAMES[random.nextInt(NAMES.length)] + "'";
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> "INSERT INTO kv (k, a, b) VALUES (" + k + ", " + value + ", " + counter
                    + ") ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b";
            case 3, 4 -> "UPDATE kv SET a = " + value + " WHERE k = " + k;
            case 5 -> "UPDATE kv SET b = " + random.nextInt(1000) + " WHERE k = " + k;
            case 6 -> "DELETE FROM kv WHERE k = " + k;
            case 7, 8 -> "INSERT OR REPLACE INTO tag (owner, name, note) VALUES (" + owner + ", " + name + ", "
                    + value + ")";
            default -> "DELETE FROM tag WHERE owner = " + owner + " AND name = " + name;
        };
    }
}
