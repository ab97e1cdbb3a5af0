package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TriggerKeyRewriteTest {
    /** audit(id, order_id, action) gets keys; every other table none. */
    private static TriggerKeyRewrite.Result rewrite(String sql) throws SQLException {
        return TriggerKeyRewrite.rewrite(sql, table -> table.equalsIgnoreCase("audit")
                ? Optional.of(new TriggerKeyRewrite.InsertKey("id", List.of("id", "order_id", "action"), Set.of(),
                        "k('audit', "))
                : Optional.empty());
    }

    @Test
    void onlyTheBodysInsertsIntoTablesWithKeysAreRewritten() throws SQLException {
        String sql = "CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE WHEN new.x THEN 1 END BEGIN\n"
                + "  INSERT INTO audit (order_id, action) VALUES (new.id, 'a; END');\n"
                + "  UPDATE counts SET n = n + 1; -- BEGIN; END;\n"
                + "  INSERT INTO other (v) VALUES (1);\n"
                + "  INSERT INTO audit VALUES (NULL, new.id, 'b');\n"
                + "END;";
        assertThat(rewrite(sql).sql()).isEqualTo("CREATE TRIGGER a AFTER UPDATE ON orders WHEN CASE WHEN new.x THEN 1"
                + " END BEGIN\n"
                + "  INSERT INTO audit (order_id, action, \"id\") VALUES (new.id, 'a; END', k('audit', NULL));\n"
                + "  UPDATE counts SET n = n + 1; -- BEGIN; END;\n"
                + "  INSERT INTO other (v) VALUES (1);\n"
                + "  INSERT INTO audit VALUES (k('audit', NULL), new.id, 'b');\n"
                + "END;");
        assertThat(rewrite(sql).leftAsWritten()).isEmpty();
    }

    @Test
    void anInsertSelectLeavingTheKeyOutBecomesASubqueryForSQLiteAllowsNoWithInATrigger() throws SQLException {
        assertThat(rewrite("create trigger a after insert on orders begin insert into audit (order_id, action) "
                + "select new.id, 'x' union all select new.id, 'y' on conflict do nothing; end").sql())
                .isEqualTo("create trigger a after insert on orders begin insert into audit (order_id, action, \"id\")"
                        + " SELECT *, k('audit', NULL) FROM (select new.id, 'x' union all select new.id, 'y') WHERE true"
                        + " on conflict do nothing; end");
    }

    @Test
    void anInsertSelectNamingTheKeyIsLeftAsWrittenAndReported() throws SQLException {
        String sql = "create trigger a after insert on orders begin "
                + "insert into audit (id, order_id) select null, new.id; end";
        TriggerKeyRewrite.Result result = rewrite(sql);
        assertThat(result.sql()).isEqualTo(sql);
        assertThat(result.leftAsWritten()).containsExactly("audit");
    }

    /** {@code table} gets keys in {@code key}, one of {@code columns}; {@code aliases} are the rowid names no column takes. */
    private static String rewrite(String sql, String table, String key, List<String> columns, Set<String> aliases)
            throws SQLException {
        return TriggerKeyRewrite.rewrite(sql, t -> t.equalsIgnoreCase(table)
                ? Optional.of(new TriggerKeyRewrite.InsertKey(key, columns, aliases, "k('" + table + "', "))
                : Optional.empty()).sql();
    }

    private static final Set<String> ALIASES = Set.of("rowid", "oid", "_rowid_");

    @Test
    void aKeyTheBodyLeavesOutIsNamedAsTheRowidFirstSoThatItOutlivesTheTablesKeyColumn() throws SQLException {
        List<String> audit = List.of("id", "order_id", "action");
        assertThat(rewrite("create trigger a after insert on orders begin insert into audit (order_id, action)"
                + " values (new.id, 'a'), (new.id, 'b'); end", "audit", "id", audit, ALIASES))
                .isEqualTo("create trigger a after insert on orders begin insert into audit (rowid, order_id, action)"
                        + " values (k('audit', NULL), new.id, 'a'), (k('audit', NULL), new.id, 'b'); end");
        assertThat(rewrite("create trigger a after insert on orders begin insert into audit (order_id) select new.id;"
                + " end", "audit", "id", audit, Set.of("oid", "_rowid_")))
                .isEqualTo("create trigger a after insert on orders begin insert into audit (_rowid_, order_id)"
                        + " SELECT k('audit', NULL), * FROM (select new.id) WHERE true; end");
        assertThat(rewrite("create trigger a after insert on orders begin insert into audit (id, action) values"
                + " (new.id, 'c'); end", "audit", "id", audit, ALIASES)).isEqualTo("create trigger a after insert on"
                        + " orders begin insert into audit (id, action) values (k('audit', new.id), 'c'); end");
    }

    @Test
    void theRowsOfATableWithTheHiddenKeyGetTheirColumnsListed() throws SQLException {
        List<String> bag = List.of("a", "b", CrrTableDdl.ROW_ID_COLUMN);
        assertThat(rewrite("create trigger g after insert on t begin insert into bag values (new.x, 1); end", "bag",
                CrrTableDdl.ROW_ID_COLUMN, bag, ALIASES)).isEqualTo("create trigger g after insert on t begin"
                        + " insert into bag (rowid, \"a\", \"b\") values (k('bag', NULL), new.x, 1); end");
        assertThat(rewrite("create trigger g after insert on t begin insert into bag select new.x, 1; end", "bag",
                CrrTableDdl.ROW_ID_COLUMN, bag, Set.of())).isEqualTo("create trigger g after insert on t begin"
                        + " insert into bag (\"a\", \"b\", \"__corrosion_row_id\") SELECT *, k('bag', NULL) FROM"
                        + " (select new.x, 1) WHERE true; end");
    }

    @Test
    void recognisesCreateTriggerOnly() {
        assertThat(TriggerKeyRewrite.isCreateTrigger("create temp trigger if not exists a after insert on t begin "
                + "select 1; end")).isTrue();
        assertThat(TriggerKeyRewrite.isCreateTrigger("/* c */ CREATE TRIGGER a ...")).isTrue();
        assertThat(TriggerKeyRewrite.isCreateTrigger("create table trigger_log (id integer primary key)")).isFalse();
        assertThat(TriggerKeyRewrite.isCreateTrigger("drop trigger a")).isFalse();
    }

    @Test
    void recognisesATempTriggerByItsKeywordOrItsSchema() {
        assertThat(TriggerKeyRewrite.isCreateTempTrigger("create temporary trigger a after insert on t begin select 1; end"))
                .isTrue();
        assertThat(TriggerKeyRewrite.isCreateTempTrigger("CREATE TRIGGER IF NOT EXISTS \"temp\".a AFTER INSERT ON t"))
                .isTrue();
        assertThat(TriggerKeyRewrite.isCreateTempTrigger("CREATE TRIGGER main.a AFTER INSERT ON t")).isFalse();
        assertThat(TriggerKeyRewrite.isCreateTempTrigger("CREATE TRIGGER temp AFTER INSERT ON t")).isFalse();
        assertThat(TriggerKeyRewrite.isCreateTempTrigger("CREATE TEMP TABLE t (a)")).isFalse();
    }
}
