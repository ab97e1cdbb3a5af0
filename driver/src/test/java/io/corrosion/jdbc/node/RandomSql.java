package io.corrosion.jdbc.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A random schema and statements for {@link RandomSqlProbeTest}: one table {@code t} with a key the statements always
 * supply (the node generates other keys than SQLite would), value columns with NOT NULL, DEFAULT, CHECK and UNIQUE
 * constraints and their conflict clauses, maybe a unique index and a trigger logging into {@code log}; then INSERTs
 * (OR clauses, several rows, UPSERTs, INSERT ... SELECT), REPLACEs, UPDATEs, DELETEs, transactions and savepoints,
 * ADD COLUMN, and strings of two statements. Small values, so rows collide often. Reproducible from the seed.
 */
final class RandomSql {
    private static final String[] RESOLUTIONS = {"IGNORE", "REPLACE", "ABORT", "FAIL", "ROLLBACK"};
    private static final String[] TYPES = {"INTEGER", "TEXT", "REAL", "", "NUMERIC"};

    private final Random r;
    /** The key's columns, as the statements write them. */
    final List<String> key = new ArrayList<>();
    /** The value columns, ADD COLUMN ones included. */
    final List<String> values = new ArrayList<>();
    /** The schema: CREATE TABLE, indexes, triggers. */
    final List<String> schema = new ArrayList<>();
    /** The columns of each UNIQUE an UPSERT may name besides the key: constraints and a full unique index. */
    private final List<List<String>> uniqueTargets = new ArrayList<>();
    private boolean textKey;
    /** A UNIQUE of the table fails or ignores by its own clause: an UPDATE then writes one row (see {@link #next}). */
    private boolean resolvesByClause;
    private int added;

    RandomSql(long seed) {
        this.r = new Random(seed);
        table();
    }

    /** The rows of the application's tables in a fixed order, for comparing files. */
    List<String> queries() {
        return List.of("SELECT * FROM t ORDER BY " + String.join(", ", key), "SELECT msg FROM log ORDER BY msg");
    }

    private void table() {
        StringBuilder t = new StringBuilder("CREATE TABLE t (");
        int shape = r.nextInt(4);
        textKey = shape == 1;
        String tail = "";
        switch (shape) {
            case 0 -> {
                key.add("id");
                t.append("id INTEGER PRIMARY KEY");
            }
            case 1 -> {
                key.add("id");
                t.append("id TEXT PRIMARY KEY NOT NULL");
            }
            default -> {
                key.add("k1");
                key.add("k2");
                t.append("k1 INTEGER NOT NULL, k2 TEXT NOT NULL");
                tail = ", PRIMARY KEY (k1, k2)";
            }
        }
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            String col = String.valueOf((char) ('a' + i));
            values.add(col);
            t.append(", ").append(col).append(column(col));
        }
        if (r.nextInt(5) == 0) {
            t.append(", UNIQUE (a, b)").append(r.nextBoolean() ? "" : onConflict(RESOLUTIONS));
            uniqueTargets.add(List.of("b", "a"));
        }
        t.append(tail).append(")").append(shape == 3 ? " WITHOUT ROWID" : "");
        schema.add(t.toString());
        schema.add("CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT)");
        List<String> after = new ArrayList<>();
        if (r.nextInt(4) == 0) {
            boolean partial = r.nextBoolean();
            after.add("CREATE UNIQUE INDEX ui ON t (b)" + (partial ? " WHERE b IS NOT NULL" : ""));
            if (!partial) {
                uniqueTargets.add(List.of("b"));
            }
        }
        if (r.nextInt(3) == 0) {
            // no DELETE trigger: the driver's REPLACE of a UNIQUE constraint fires it, SQLite's does not (README)
            String event = pick(new String[] {"INSERT", "UPDATE"});
            after.add("CREATE TRIGGER tr " + pick(new String[] {"BEFORE", "AFTER"}) + " " + event + " ON t BEGIN"
                    + " INSERT INTO log (msg) VALUES ('" + event + " ' || quote(NEW.a)); END");
        }
        Collections.shuffle(after, r); // a unique index made after a trigger, or before it
        schema.addAll(after);
    }

    private String column(String col) {
        StringBuilder c = new StringBuilder(" ").append(pick(TYPES));
        if (r.nextInt(4) == 0) {
            c.append(" NOT NULL DEFAULT ").append(literal());
        } else if (r.nextInt(4) == 0) {
            c.append(" DEFAULT ").append(literal());
        }
        if (r.nextInt(5) == 0) {
            c.append(" UNIQUE").append(r.nextBoolean() ? "" : onConflict(new String[] {"IGNORE", "ABORT", "FAIL",
                    "REPLACE"}));
            uniqueTargets.add(List.of(col));
        }
        if (r.nextInt(6) == 0) {
            c.append(" CHECK (").append(col).append(" IS NOT 3)");
        }
        return c.toString();
    }

    private String onConflict(String[] resolutions) {
        String resolution = pick(resolutions);
        resolvesByClause |= resolution.equals("FAIL") || resolution.equals("IGNORE");
        return " ON CONFLICT " + resolution;
    }

    /** The next statement (or string of two). */
    String next() {
        int k = r.nextInt(100);
        if (k < 30) {
            return insert(r.nextInt(3) == 0 ? " OR " + pick(RESOLUTIONS) : "");
        } else if (k < 38) {
            // a UNIQUE's columns, one row (rows sharing new values collide on the node: README)
            List<String> target = !uniqueTargets.isEmpty() && r.nextInt(3) == 0
                    ? uniqueTargets.get(r.nextInt(uniqueTargets.size())) : key;
            return insert("", target == key ? List.of() : target) + " ON CONFLICT (" + String.join(", ", target) + ") DO "
                    + (r.nextBoolean() ? "NOTHING" : "UPDATE SET " + pick(values) + " = " + valueExpression());
        } else if (k < 42) {
            return "REPLACE" + insert("").substring("INSERT".length());
        } else if (k < 60) {
            // with an OR clause (or a UNIQUE's own FAIL or IGNORE) one row: which rows of several an UPDATE writes
            // before one collides follows the query plan (the driver's differs), in SQLite too
            boolean or = r.nextInt(3) == 0;
            return "UPDATE" + (or ? " OR " + pick(RESOLUTIONS) : "") + " t SET " + pick(values) + " = "
                    + valueExpression() + (or || resolvesByClause ? oneRow() : where());
        } else if (k < 68) {
            return "DELETE FROM t" + where();
        } else if (k < 80) {
            return pick(new String[] {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "RELEASE s", "ROLLBACK TO s"});
        } else if (k < 83) {
            String col = "d" + added++;
            values.add(col);
            return "ALTER TABLE t ADD COLUMN " + col + " " + pick(TYPES) + (r.nextBoolean() ? "" : " DEFAULT " + literal());
        } else if (k < 88) {
            return "INSERT" + (r.nextBoolean() ? " OR IGNORE" : "") + " INTO t (" + String.join(", ", key) + ", "
                    + values.get(0) + ") SELECT " + shiftedKey() + ", " + values.get(0) + " FROM t" + where()
                    + " ORDER BY " + String.join(", ", key); // the order rows are written in, which collisions follow
        } else if (k < 92) {
            return insert("") + "; " + (r.nextBoolean() ? insert(" OR IGNORE") : "UPDATE t SET " + pick(values) + " = "
                    + literal() + (resolvesByClause ? oneRow() : where()));
        }
        return "UPDATE t SET " + pick(values) + " = NULL" + where();
    }

    private String insert(String or) {
        return insert(or, List.of());
    }

    /** An INSERT; one row with every column of {@code target} if there is one (an UPSERT's on a UNIQUE). */
    private String insert(String or, List<String> target) {
        boolean severalRows = target.isEmpty();
        List<String> cols = new ArrayList<>(key);
        for (String v : values) {
            if (r.nextInt(3) > 0 || target.contains(v)) {
                cols.add(v);
            }
        }
        StringBuilder s = new StringBuilder("INSERT").append(or).append(" INTO t (").append(String.join(", ", cols))
                .append(") VALUES ");
        int rows = severalRows ? 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0) : 1;
        for (int i = 0; i < rows; i++) {
            s.append(i == 0 ? "" : ", ").append("(");
            for (int c = 0; c < cols.size(); c++) {
                s.append(c == 0 ? "" : ", ").append(c < key.size() ? keyValue(c) : literal());
            }
            s.append(")");
        }
        return s.toString();
    }

    private String keyValue(int column) {
        int v = 1 + r.nextInt(6);
        return key.size() == 2 && column == 1 || textKey ? "'k" + v + "'" : String.valueOf(v);
    }

    /** The key of a row copied by INSERT ... SELECT: another one, so that some copies collide and some do not. */
    private String shiftedKey() {
        if (key.size() == 2) {
            return "k1 + " + (1 + r.nextInt(3)) + ", k2";
        }
        return textKey ? "id || 'c'" : "id + " + (1 + r.nextInt(3));
    }

    private String oneRow() {
        StringBuilder w = new StringBuilder(" WHERE ");
        for (int c = 0; c < key.size(); c++) {
            w.append(c == 0 ? "" : " AND ").append(key.get(c)).append(" = ").append(keyValue(c));
        }
        return w.toString();
    }

    private String where() {
        int k = r.nextInt(4);
        if (k == 0) {
            return "";
        } else if (k == 1) {
            return " WHERE " + key.get(0) + " = " + keyValue(0);
        }
        return " WHERE " + pick(values) + (r.nextBoolean() ? " IS " : " > ") + literal();
    }

    private String valueExpression() {
        return switch (r.nextInt(3)) {
            case 0 -> literal();
            case 1 -> "coalesce(" + pick(values) + ", 0) + 1";
            default -> pick(values);
        };
    }

    private String literal() {
        return switch (r.nextInt(9)) {
            case 0 -> "NULL";
            case 1 -> "'x'";
            case 2 -> "'y'";
            case 3 -> "1.5";
            case 4 -> "x'01'";
            default -> String.valueOf(r.nextInt(5));
        };
    }

    private String pick(String[] options) {
        return options[r.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(r.nextInt(options.size()));
    }
}
