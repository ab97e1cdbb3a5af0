package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The token-level rewrite of an UPSERT on a UNIQUE constraint onto the primary key: its text, and the shapes it leaves. */
class UpsertTargetRewriteTest {
    private static final UpsertTargetRewrite.Shape USERS = new UpsertTargetRewrite.Shape("users", List.of("id"),
            java.util.Arrays.asList((String) null), List.of("id", "email", "n"), List.of("email"), List.of("NOCASE"));

    @Test
    void theRowsBecomeACteAndTheKeyTheLookedUpOne() {
        assertThat(UpsertTargetRewrite.rewrite(
                "INSERT INTO users (email, n) VALUES (?, ?) ON CONFLICT (\"email\") DO UPDATE SET n = ?", USERS))
                .contains("INSERT INTO users (email, n, \"id\") WITH __corrosion_upsert(c1, c2) AS (VALUES (?, ?))"
                        + " SELECT c1, c2, (SELECT \"id\" FROM main.\"users\" AS __corrosion_held WHERE"
                        + " __corrosion_held.\"email\" = __corrosion_upsert.c1 COLLATE NOCASE ORDER BY __corrosion_held.\"id\""
                        + " LIMIT 1) FROM __corrosion_upsert"
                        + " WHERE true ON CONFLICT (\"id\") DO UPDATE SET n = ?");
    }

    @Test
    void aKeyTheRowsBringIsGuarded() {
        assertThat(UpsertTargetRewrite.rewrite("INSERT INTO users VALUES (1, 'a', 2) ON CONFLICT (email) DO NOTHING"
                + " RETURNING id", USERS).orElseThrow())
                .contains("SELECT COALESCE((SELECT \"id\" FROM main.\"users\"")
                .contains("DO UPDATE SET \"id\" = \"id\" WHERE CASE WHEN crsql_internal_upsert_target(\"users\".\"email\""
                        + " = excluded.\"email\" COLLATE NOCASE, 'UNIQUE constraint failed: users.id') THEN 0 END RETURNING id");
        assertThat(UpsertTargetRewrite.rewrite("INSERT INTO users AS u (id, email) VALUES (1, 'a') ON CONFLICT (email)"
                + " DO UPDATE SET n = 1 WHERE u.n < 3", USERS).orElseThrow())
                .endsWith("DO UPDATE SET n = 1 WHERE CASE WHEN crsql_internal_upsert_target(\"u\".\"email\" ="
                        + " excluded.\"email\" COLLATE NOCASE, 'UNIQUE constraint failed: users.id') THEN ( u.n < 3) END");
        assertThat(UpsertTargetRewrite.rewrite("INSERT INTO users VALUES (1, 'a', 2) ON CONFLICT (email) DO UPDATE SET n = 1"
                + " RETURNING (n)", USERS).orElseThrow())
                .endsWith("DO UPDATE SET n = 1 WHERE crsql_internal_upsert_target(\"users\".\"email\" = excluded.\"email\""
                        + " COLLATE NOCASE, 'UNIQUE constraint failed: users.id') RETURNING (n)");
    }

    @Test
    void shapesItLeavesAsWritten() {
        for (String sql : List.of(
                "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email) DO NOTHING ON CONFLICT DO NOTHING",
                "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email) WHERE n > 0 DO NOTHING",
                "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email COLLATE BINARY) DO NOTHING",
                "INSERT INTO users (n) VALUES (1) ON CONFLICT (email) DO NOTHING",
                "INSERT INTO users DEFAULT VALUES ON CONFLICT (email) DO NOTHING",
                "INSERT INTO users (email) VALUES ('a') ON CONFLICT DO NOTHING",
                "UPDATE users SET n = 1")) {
            assertThat(UpsertTargetRewrite.rewrite(sql, USERS)).as(sql).isEmpty();
        }
    }

    @Test
    void theTargetsColumns() {
        assertThat(UpsertTargetRewrite.target("INSERT INTO t SELECT * FROM s JOIN r ON s.a = r.a WHERE true"
                + " ON CONFLICT (\"A\", b DESC) DO NOTHING")).contains(List.of("A", "b"));
        assertThat(UpsertTargetRewrite.sameColumns(List.of("A", "b"), List.of("B", "a"))).isTrue();
        assertThat(UpsertTargetRewrite.sameColumns(List.of("a", "a"), List.of("a", "b"))).isFalse();
    }
}
