package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratorStatementsTest {

    @Test
    void hibernateSequenceTableStatements() {
        assertThat(GeneratorStatements.rewriteSelect("select next_val as id_val from Person_SEQ", "gn"))
                .contains("select gn('Person_SEQ', '') as \"id_val\"");
        assertThat(GeneratorStatements.rewriteUpdate("update Person_SEQ set next_val= ? where next_val=?", "ga"))
                .contains("update temp.__corrosion_generator_ack set v = 0 where ga('Person_SEQ', 'new,old', ?, ?)");
    }

    @Test
    void hibernateTableGeneratorStatementsKeepTheirParameterOrder() {
        assertThat(GeneratorStatements.rewriteSelect(
                "select tbl.next_val from hibernate_sequences tbl where tbl.sequence_name=?", "gn"))
                .contains("select gn('hibernate_sequences', ?) as \"next_val\"");
        assertThat(GeneratorStatements.rewriteUpdate(
                "update hibernate_sequences set next_val=?  where next_val=? and sequence_name=?", "ga"))
                .contains("update temp.__corrosion_generator_ack set v = 0 where "
                        + "ga('hibernate_sequences', 'new,old,segment', ?, ?, ?)");
        assertThat(GeneratorStatements.rewriteUpdate(
                "update t set next_val = ? where sequence_name = 'x' and next_val = ?", "ga"))
                .contains("update temp.__corrosion_generator_ack set v = 0 where ga('t', 'new,segment,old', ?, 'x', ?)");
    }

    @Test
    void otherShapesAreNotGeneratorStatements() {
        assertThat(GeneratorStatements.rewriteSelect("select next_val, x from s", "gn")).isEmpty();
        assertThat(GeneratorStatements.rewriteSelect("select next_val from s where other = ?", "gn")).isEmpty();
        assertThat(GeneratorStatements.rewriteSelect("select next_val from s order by 1", "gn")).isEmpty();
        assertThat(GeneratorStatements.rewriteUpdate("update s set next_val = next_val + 1", "ga")).isEmpty();
        assertThat(GeneratorStatements.rewriteUpdate("update s set next_val = ? where sequence_name = ?", "ga")).isEmpty();
        assertThat(GeneratorStatements.table("update Person_SEQ set next_val= ? where next_val=?")).contains("Person_SEQ");
        assertThat(GeneratorStatements.table("select next_val as id_val from \"my seq\"")).contains("my seq");
        assertThat(GeneratorStatements.mentionedIn("select NEXT_VAL from x")).isTrue();
        assertThat(GeneratorStatements.mentionedIn("select 1")).isFalse();
    }

    @Test
    void generatorReadsReachTheHook() {
        assertThat(Interceptor.classify("select next_val as id_val from Person_SEQ").plainRead()).isFalse();
        assertThat(Interceptor.classify("select id from Person").plainRead()).isTrue();
    }
}
