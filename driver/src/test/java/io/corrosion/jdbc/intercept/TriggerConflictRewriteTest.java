package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TriggerConflictRewriteTest {
    @Test
    void bodyStatementsWithAClauseOrAnUpsertAreBracketedAndTheOthersLeftAsWritten() throws SQLException {
        String sql = "CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE WHEN new.x THEN 1 END BEGIN\n"
                + "  INSERT OR IGNORE INTO tag (name) VALUES ('a; END');\n"
                + "  UPDATE counts SET n = n + 1; -- OR REPLACE; END;\n"
                + "  REPLACE INTO t VALUES (1);\n"
                + "  update or fail t set v = 2;\n"
                + "  INSERT INTO Tag (name) VALUES (new.v) ON CONFLICT DO NOTHING;\n"
                + "  INSERT INTO tag (id) VALUES (new.id) ON CONFLICT (id) DO UPDATE SET n = n + 1;\n"
                + "  DELETE FROM t WHERE id = 3;\n"
                + "END;";
        assertThat(TriggerConflictRewrite.rewrite(sql)).isEqualTo("CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE"
                + " WHEN new.x THEN 1 END BEGIN\n"
                + "  SELECT crsql_internal_conflict_push('IGNORE', NULL, 0); INSERT OR IGNORE INTO tag (name)"
                + " VALUES ('a; END'); SELECT crsql_internal_conflict_pop();\n"
                + "  UPDATE counts SET n = n + 1; -- OR REPLACE; END;\n"
                + "  SELECT crsql_internal_conflict_push('REPLACE', NULL, 0); REPLACE INTO t VALUES (1);"
                + " SELECT crsql_internal_conflict_pop();\n"
                + "  SELECT crsql_internal_conflict_push('FAIL', NULL, 0); update or fail t set v = 2;"
                + " SELECT crsql_internal_conflict_pop();\n"
                + "  SELECT crsql_internal_conflict_push(NULL, 'Tag', 1); INSERT INTO Tag (name) VALUES (new.v)"
                + " ON CONFLICT DO NOTHING; SELECT crsql_internal_conflict_pop();\n"
                + "  SELECT crsql_internal_conflict_push(NULL, 'tag', 0); INSERT INTO tag (id) VALUES (new.id)"
                + " ON CONFLICT (id) DO UPDATE SET n = n + 1; SELECT crsql_internal_conflict_pop();\n"
                + "  DELETE FROM t WHERE id = 3;\n"
                + "END;");
    }

    @Test
    void aTriggerBracketedAlreadyOrWithoutClausesIsLeftAsItIs() throws SQLException {
        String plain = "create trigger a after insert on t begin insert into u values (new.id); end";
        assertThat(TriggerConflictRewrite.rewrite(plain)).isSameAs(plain);
        String once = TriggerConflictRewrite.rewrite("create trigger a after insert on t begin"
                + " insert or ignore into u values (new.id); end");
        assertThat(TriggerConflictRewrite.rewrite(once)).isEqualTo(once);
    }

    @Test
    void aRenameChangesTheUpsertTableOfTheBrackets() throws SQLException {
        String sql = TriggerConflictRewrite.rewrite("create trigger a after insert on t begin"
                + " insert into Tag values (new.id) on conflict do nothing; insert or ignore into tag values (1);"
                + " insert into tagged values (2) on conflict do nothing; end");
        assertThat(TriggerConflictRewrite.renamed(sql, "tag", "it's")).isEqualTo("create trigger a after insert on t"
                + " begin SELECT crsql_internal_conflict_push(NULL, 'it''s', 1); insert into Tag values (new.id)"
                + " on conflict do nothing; SELECT crsql_internal_conflict_pop(); SELECT crsql_internal_conflict_push("
                + "'IGNORE', NULL, 0); insert or ignore into tag values (1); SELECT crsql_internal_conflict_pop();"
                + " SELECT crsql_internal_conflict_push(NULL, 'tagged', 1); insert into tagged values (2)"
                + " on conflict do nothing; SELECT crsql_internal_conflict_pop(); end");
        assertThat(TriggerConflictRewrite.renamed(sql, "other", "x")).isSameAs(sql);
    }

    @Test
    void theDriversOwnTriggersAreKnownByName() {
        assertThat(TriggerConflictRewrite.isDriversOwn("t__crsql_itrig")).isTrue();
        assertThat(TriggerConflictRewrite.isDriversOwn("t_u__corrosion_uq_ins")).isTrue();
        assertThat(TriggerConflictRewrite.isDriversOwn("post_tag")).isFalse();
    }
}
