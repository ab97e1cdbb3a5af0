package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.corrosion.jdbc.CorrosionConfig;
import io.corrosion.jdbc.intercept.CreateTableShape;
import io.corrosion.jdbc.intercept.Interceptor;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

class LocalTablesTest {
    @TempDir
    Path dir;

    private static LocalTables policy(String localTables) throws SQLException {
        return new LocalTables(CorrosionConfig.parse("jdbc:corrosion:x.db?local-tables=" + localTables, null).node());
    }

    @Test
    void builtInRulesByName() throws SQLException {
        LocalTables local = policy("");
        assertThat(local.isLocal("HTE_Person")).isTrue();
        assertThat(local.isLocal("hte_person")).isTrue();
        assertThat(local.isLocal("Person_SEQ")).isTrue();
        assertThat(local.isLocal("hibernate_sequences")).isTrue();
        assertThat(local.isLocal("hibernate_sequence")).isTrue();
        assertThat(local.isLocal("sqlite_sequence")).isTrue();
        assertThat(local.isLocal("sqlite_stat1")).isTrue();
        assertThat(local.isLocal("__corrosion_counters")).isTrue();
        assertThat(local.isLocal("__corrosion_node_slots")).as("claims are replicated").isFalse();
        assertThat(local.isLocal("crsql_changes")).isTrue();
        assertThat(local.isLocal("person__crsql_clock")).isTrue();
        assertThat(local.isLocal("Person")).isFalse();
        assertThat(local.isLocal("sequence")).isFalse();
        assertThat(local.isLocal("seq_numbers")).isFalse();
        assertThat(local.isLocal("flyway_schema_history")).isTrue();
        assertThat(local.isLocal("DATABASECHANGELOG")).isTrue();
        assertThat(local.isLocal("DATABASECHANGELOGLOCK")).isTrue();
        assertThat(local.isLocal("schema_history")).isFalse();
    }

    @Test
    void propertyTakesNamesAndGlobsIgnoringCase() throws SQLException {
        LocalTables local = policy("Scratch,cache_*,tmp?");
        assertThat(local.isLocal("scratch")).isTrue();
        assertThat(local.isLocal("SCRATCH")).isTrue();
        assertThat(local.isLocal("scratchpad")).isFalse();
        assertThat(local.isLocal("cache_")).isTrue();
        assertThat(local.isLocal("Cache_Users")).isTrue();
        assertThat(local.isLocal("tmp1")).isTrue();
        assertThat(local.isLocal("tmp12")).isFalse();
        assertThat(local.isLocal("users")).isFalse();
    }

    @Test
    void tempTablesAreLocal() throws SQLException {
        LocalTables local = policy("");
        assertThat(local.isLocal(Interceptor.classify("create temp table person (id integer primary key)").first()))
                .isTrue();
        assertThat(local.isLocal(Interceptor.classify("insert into temp.person (id) values (1)").first())).isTrue();
        assertThat(local.isLocal(Interceptor.classify("insert into person (id) values (1)").first())).isFalse();
    }

    @Test
    void generatorShapedTablesAreLocalOnceSeen() throws SQLException {
        LocalTables local = policy("");
        local.noteCreated(CreateTableShape.parse("create table my_ids (next_val bigint)").orElseThrow());
        local.noteCreated(CreateTableShape.parse("create table id_gen (next_val bigint, sequence_name varchar(255) "
                + "not null, primary key (sequence_name))").orElseThrow());
        local.noteCreated(CreateTableShape.parse("create table counters (name text primary key, next_val bigint)")
                .orElseThrow());
        assertThat(local.isLocal("MY_IDS")).isTrue();
        assertThat(local.isGeneratorTable("my_ids")).isTrue();
        assertThat(local.isLocal("id_gen")).isTrue();
        assertThat(local.isLocal("counters")).isFalse();
    }

    @Test
    void generatorShapedTablesOfAnExistingSchemaAreFoundOnOpen() throws SQLException {
        try (SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("a.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate("create table my_seq (next_val bigint)");
            s.executeUpdate("create table person (id bigint primary key, next_val int)");
            LocalTables local = policy("");
            local.scan(c);
            assertThat(local.isLocal("my_seq")).isTrue();
            assertThat(local.isLocal("person")).isFalse();
        }
    }
}
