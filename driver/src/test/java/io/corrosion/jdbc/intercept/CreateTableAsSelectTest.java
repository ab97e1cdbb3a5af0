package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CreateTableAsSelectTest {
    @Test
    void splitsTheStatementAtItsTopLevelAs() {
        CreateTableAsSelect ctas = CreateTableAsSelect.parse(
                "CREATE TABLE IF NOT EXISTS main.\"as\" AS SELECT a AS b FROM (SELECT 1 AS a) ;").orElseThrow();
        assertThat(ctas.head()).isEqualTo("CREATE TABLE IF NOT EXISTS main.\"as\"");
        assertThat(ctas.select()).isEqualTo("SELECT a AS b FROM (SELECT 1 AS a)");
        assertThat(CreateTableAsSelect.parse("CREATE TABLE t (a AS (1))")).isEmpty();
        assertThat(CreateTableAsSelect.parse("CREATE TABLE t AS")).isEmpty();
    }

    @Test
    void parametersAreFoundInTheQuery() {
        assertThat(CreateTableAsSelect.parse("CREATE TABLE t AS SELECT ?").orElseThrow().hasParameters()).isTrue();
        assertThat(CreateTableAsSelect.parse("CREATE TABLE t AS SELECT :x").orElseThrow().hasParameters()).isTrue();
        assertThat(CreateTableAsSelect.parse("CREATE TABLE t AS SELECT '?'").orElseThrow().hasParameters()).isFalse();
    }

    @Test
    void theCreateTableAndTheInsertItRunsAs() {
        CreateTableAsSelect ctas = CreateTableAsSelect.parse("create table c as select * from t").orElseThrow();
        assertThat(ctas.createTable(List.of(new CreateTableAsSelect.Column("a", "TEXT"),
                new CreateTableAsSelect.Column("a:1", ""), new CreateTableAsSelect.Column("q\"", "NUM"))))
                .isEqualTo("create table c (\"a\" TEXT, \"a:1\", \"q\"\"\" NUM)");
        assertThat(ctas.insert("c", List.of("a", "a:1"))).isEqualTo("INSERT INTO main.\"c\" (\"a\", \"a:1\") select * from t");
    }

    @Test
    void aViewsDeclaredTypeBecomesItsAffinitysName() {
        assertThat(List.of("VARCHAR(20)", "BIGINT", "FLOATING POINT", "DOUBLE", "BLOB", "", "DECIMAL(10,2)", "DATETIME",
                "CLOB", "CHARINT").stream().map(CreateTableAsSelect::tableType).toList())
                .containsExactly("TEXT", "INT", "INT", "REAL", "", "", "NUM", "NUM", "TEXT", "INT");
    }
}
