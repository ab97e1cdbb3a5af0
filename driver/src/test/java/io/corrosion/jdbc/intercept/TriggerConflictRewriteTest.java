package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerConflictRewriteTest {
    /** Every table's key is (id), "My t"'s is (a, "b c"). */
    private static final TriggerConflictRewrite.TableKey KEY = t -> t.equals("My t") ? List.of("a", "b c") : List.of("id");

    @Test
    void bodyWritesAndDeletesAreBracketed() throws SQLException {
        String sql = "CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE WHEN new.x THEN 1 END BEGIN\n"
                + "  INSERT OR IGNORE INTO tag (name) VALUES ('a; END');\n"
                + "  UPDATE counts SET n = n + 1; -- OR REPLACE; END;\n"
                + "  REPLACE INTO t VALUES (1);\n"
                + "  update or fail t set v = 2;\n"
                + "  INSERT INTO Tag (name) VALUES (new.v) ON CONFLICT DO NOTHING;\n"
                + "  INSERT INTO tag (id) VALUES (new.id) ON CONFLICT (id) DO UPDATE SET n = n + 1;\n"
                + "  DELETE FROM t WHERE id = 3;\n"
                + "END;";
        assertThat(TriggerConflictRewrite.rewrite(sql, "a", KEY)).isEqualTo("CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE"
                + " WHEN new.x THEN 1 END BEGIN\n"
                + "  SELECT crsql_internal_conflict_push('IGNORE', NULL, 0, 'a/1', 1); INSERT OR IGNORE INTO tag (name)"
                + " VALUES ('a; END'); SELECT crsql_internal_conflict_pop('a/1');\n"
                + "  SELECT crsql_internal_conflict_push(NULL, NULL, 0, 'a/2', 1); UPDATE counts SET n = n + 1;"
                + " SELECT crsql_internal_conflict_pop('a/2'); -- OR REPLACE; END;\n"
                + "  SELECT crsql_internal_conflict_push('REPLACE', NULL, 0, 'a/3', 1); REPLACE INTO t VALUES (1);"
                + " SELECT crsql_internal_conflict_pop('a/3');\n"
                + "  SELECT crsql_internal_conflict_push('FAIL', NULL, 0, 'a/4', 1); update or fail t set v = 2;"
                + " SELECT crsql_internal_conflict_pop('a/4');\n"
                + "  SELECT crsql_internal_conflict_push(NULL, 'Tag', 1, 'a/5', 1); INSERT INTO Tag (name) VALUES (new.v)"
                + " ON CONFLICT DO NOTHING; SELECT crsql_internal_conflict_pop('a/5');\n"
                + "  SELECT crsql_internal_conflict_push(NULL, 'tag', 0, 'a/6', 1); INSERT INTO tag (id) VALUES (new.id)"
                + " ON CONFLICT (id) DO UPDATE SET n = n + 1; SELECT crsql_internal_conflict_pop('a/6');\n"
                + "  SELECT crsql_internal_conflict_push('DELETE', NULL, 0, 'a/7', 1); DELETE FROM t WHERE id = 3;"
                + " SELECT crsql_internal_conflict_pop('a/7');\n"
                + "END;");
    }

    @Test
    void aTriggerBracketedAlreadyOrWithoutWritesIsLeftAsItIs() throws SQLException {
        String plain = "create trigger a after insert on t begin select raise(ignore) where new.id < 0; end";
        assertThat(TriggerConflictRewrite.rewrite(plain, "a", KEY)).isSameAs(plain);
        String once = TriggerConflictRewrite.rewrite("create trigger a after insert on t begin"
                + " insert or ignore into u values (new.id); insert into u values (1); end", "a", KEY);
        assertThat(TriggerConflictRewrite.rewrite(once, "a", KEY)).isSameAs(once);
    }

    /** A trigger an earlier format bracketed (only statements with a clause, no UPDATE-trigger argument) is made again. */
    @Test
    void theBracketsOfAnEarlierFormatAreMadeAgain() throws SQLException {
        String earlier = "create trigger a after update on t begin SELECT crsql_internal_conflict_push('IGNORE', NULL, 0,"
                + " 'a/1'); insert or ignore into u values (new.id); SELECT crsql_internal_conflict_pop('a/1');"
                + " update u set v = 1; end";
        assertThat(TriggerConflictRewrite.rewrite(earlier, "a", KEY)).isEqualTo("create trigger a after update on t begin"
                + " SELECT crsql_internal_conflict_push('IGNORE', NULL, 0, 'a/1', 1); insert or ignore into u values"
                + " (new.id); SELECT crsql_internal_conflict_pop('a/1'); SELECT crsql_internal_conflict_push(NULL, NULL,"
                + " 0, 'a/2', 1); update u set v = 1; SELECT crsql_internal_conflict_pop('a/2'); end");
    }

    @Test
    void aRenameChangesTheUpsertTableOfTheBrackets() throws SQLException {
        String sql = TriggerConflictRewrite.rewrite("create trigger a after insert on t begin"
                + " insert into Tag values (new.id) on conflict do nothing; insert or ignore into tag values (1);"
                + " insert into tagged values (2) on conflict do nothing; end", "a", KEY);
        assertThat(TriggerConflictRewrite.renamed(sql, "tag", "it's")).isEqualTo("create trigger a after insert on t"
                + " begin SELECT crsql_internal_conflict_push(NULL, 'it''s', 1, 'a/1'); insert into Tag values (new.id)"
                + " on conflict do nothing; SELECT crsql_internal_conflict_pop('a/1'); SELECT crsql_internal_conflict_push("
                + "'IGNORE', NULL, 0, 'a/2'); insert or ignore into tag values (1); SELECT crsql_internal_conflict_pop('a/2');"
                + " SELECT crsql_internal_conflict_push(NULL, 'tagged', 1, 'a/3'); insert into tagged values (2)"
                + " on conflict do nothing; SELECT crsql_internal_conflict_pop('a/3'); end");
        assertThat(TriggerConflictRewrite.renamed(sql, "other", "x")).isSameAs(sql);
    }

    @Test
    void theDriversOwnTriggersAreKnownByName() {
        assertThat(TriggerConflictRewrite.isDriversOwn("t__crsql_itrig")).isTrue();
        assertThat(TriggerConflictRewrite.isDriversOwn("t_u__corrosion_uq_ins")).isTrue();
        assertThat(TriggerConflictRewrite.isDriversOwn("post_tag")).isFalse();
    }

    @Test
    void aDeleteTriggerHoldsBackForAReplaceByItsWhen() throws SQLException {
        assertThat(TriggerConflictRewrite.rewrite("create trigger a after delete on t begin select 1; end", "a", KEY))
                .isEqualTo("create trigger a after delete on t WHEN NOT crsql_internal_replacing('t', OLD.\"id\")"
                        + " begin select 1; end");
        assertThat(TriggerConflictRewrite.rewrite("CREATE TRIGGER a BEFORE DELETE ON \"My t\" FOR EACH ROW WHEN old.begin > 1"
                + " BEGIN SELECT 1; END", "a", KEY)).isEqualTo("CREATE TRIGGER a BEFORE DELETE ON \"My t\" FOR EACH ROW"
                + " WHEN NOT crsql_internal_replacing('My t', OLD.\"a\", OLD.\"b c\") AND (old.begin > 1) BEGIN SELECT 1; END");
        String guarded = TriggerConflictRewrite.rewrite("CREATE TRIGGER a DELETE ON t WHEN old.x BEGIN SELECT 1; END", "a", KEY);
        assertThat(guarded).isEqualTo("CREATE TRIGGER a DELETE ON t WHEN NOT crsql_internal_replacing('t', OLD.\"id\")"
                + " AND (old.x) BEGIN SELECT 1; END");
        assertThat(TriggerConflictRewrite.rewrite(guarded, "a", KEY)).isEqualTo(guarded);
        assertThat(TriggerConflictRewrite.renamed(guarded, "T", "t2")).isEqualTo("CREATE TRIGGER a DELETE ON t WHEN NOT"
                + " crsql_internal_replacing('t2', OLD.\"id\") AND (old.x) BEGIN SELECT 1; END");
        for (String other : new String[] {"CREATE TRIGGER a INSTEAD OF DELETE ON v BEGIN SELECT 1; END",
                "CREATE TRIGGER a AFTER UPDATE OF \"delete\" ON t BEGIN SELECT 1; END",
                "CREATE TRIGGER a AFTER INSERT ON t WHEN new.x = 'delete' BEGIN SELECT 1; END"}) {
            assertThat(TriggerConflictRewrite.rewrite(other, "a", KEY)).isEqualTo(other);
        }
        String keyless = "CREATE TRIGGER a AFTER DELETE ON t BEGIN SELECT 1; END"; // a TEMP table's: no REPLACE deletes
        assertThat(TriggerConflictRewrite.rewrite(keyless, "a", t -> List.of())).isEqualTo(keyless);
    }
}
