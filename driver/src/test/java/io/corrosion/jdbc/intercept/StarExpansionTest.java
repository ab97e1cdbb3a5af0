package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text {@link StarExpansion} makes of a statement, over a fixed schema. */
class StarExpansionTest {
    private static final Map<String, List<String>> SCHEMA = Map.of(
            "bag", List.of("owner_id", "item", "__corrosion_row_id"),
            "tag", List.of("item", "label", "__corrosion_row_id"),
            "owner", List.of("id", "name"));

    private static String expand(String sql) throws SQLException {
        return expand(sql, null);
    }

    private static String expand(String sql, String returningTable) throws SQLException {
        return StarExpansion.rewrite(sql, (schema, name) -> SCHEMA.get(name.toLowerCase(Locale.ROOT)), returningTable);
    }

    @Test
    void aStarOverATableWithTheHiddenKeyListsItsOwnColumns() throws SQLException {
        assertThat(expand("SELECT * FROM bag WHERE owner_id = ?"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag WHERE owner_id = ?");
        assertThat(expand("select distinct * from main.bag as b order by 1"))
                .isEqualTo("select distinct \"b\".\"owner_id\", \"b\".\"item\" from main.bag as b order by 1");
        assertThat(expand("SELECT *, 1 AS one FROM bag"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\", 1 AS one FROM bag");
    }

    @Test
    void aQualifiedStarListsTheColumnsOfItsTableOnly() throws SQLException {
        assertThat(expand("SELECT o.*, b.* FROM owner o JOIN bag b ON b.owner_id = o.id"))
                .isEqualTo("SELECT o.*, b.\"owner_id\", b.\"item\" FROM owner o JOIN bag b ON b.owner_id = o.id");
        assertThat(expand("SELECT main.bag.* FROM main.bag"))
                .isEqualTo("SELECT main.bag.\"owner_id\", main.bag.\"item\" FROM main.bag");
    }

    @Test
    void aStarOverAJoinListsEveryItemInOrder() throws SQLException {
        assertThat(expand("SELECT * FROM owner, bag, json_each('[1]') j WHERE bag.owner_id = owner.id"))
                .isEqualTo("SELECT \"owner\".\"id\", \"owner\".\"name\", \"bag\".\"owner_id\", \"bag\".\"item\", \"j\".* "
                        + "FROM owner, bag, json_each('[1]') j WHERE bag.owner_id = owner.id");
    }

    @Test
    void usingAndNaturalJoinsListTheirJoinColumnsOnce() throws SQLException {
        assertThat(expand("SELECT * FROM bag JOIN tag USING (item)"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\", \"tag\".\"label\" FROM bag JOIN tag USING (item)");
        // the hidden keys would join too, and never match: USING the columns the two tables share
        assertThat(expand("SELECT * FROM bag NATURAL LEFT JOIN tag t WHERE 1"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\", \"t\".\"label\" FROM bag LEFT JOIN tag t"
                        + " USING (\"item\") WHERE 1");
        assertThat(expand("SELECT count(*) FROM bag NATURAL JOIN tag"))
                .isEqualTo("SELECT count(*) FROM bag JOIN tag USING (\"item\")");
        assertThat(expand("SELECT * FROM owner NATURAL JOIN bag"))
                .isEqualTo("SELECT \"owner\".\"id\", \"owner\".\"name\", \"bag\".\"owner_id\", \"bag\".\"item\""
                        + " FROM owner NATURAL JOIN bag");
    }

    @Test
    void starsInSubqueriesCtesCompoundsAndOtherStatementsAreEachExpanded() throws SQLException {
        assertThat(expand("SELECT * FROM (SELECT * FROM bag) s"))
                .isEqualTo("SELECT * FROM (SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag) s");
        assertThat(expand("WITH x AS (SELECT * FROM bag) SELECT * FROM x"))
                .isEqualTo("WITH x AS (SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag) SELECT * FROM x");
        assertThat(expand("SELECT * FROM bag UNION ALL SELECT * FROM tag"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag UNION ALL SELECT \"tag\".\"item\","
                        + " \"tag\".\"label\" FROM tag");
        assertThat(expand("INSERT INTO copy SELECT * FROM bag WHERE item IN (SELECT item FROM tag)"))
                .isEqualTo("INSERT INTO copy SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag WHERE item IN"
                        + " (SELECT item FROM tag)");
        assertThat(expand("CREATE VIEW v AS SELECT * FROM bag"))
                .isEqualTo("CREATE VIEW v AS SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag");
        assertThat(expand("CREATE TRIGGER t AFTER INSERT ON owner BEGIN INSERT INTO copy SELECT * FROM bag; END"))
                .isEqualTo("CREATE TRIGGER t AFTER INSERT ON owner BEGIN INSERT INTO copy SELECT \"bag\".\"owner_id\","
                        + " \"bag\".\"item\" FROM bag; END");
    }

    @Test
    void returningStarOfAWriteToSuchATable() throws SQLException {
        assertThat(expand("DELETE FROM bag WHERE item = 'x' RETURNING *", "bag"))
                .isEqualTo("DELETE FROM bag WHERE item = 'x' RETURNING \"owner_id\", \"item\"");
        assertThat(expand("DELETE FROM owner RETURNING *", "owner")).isEqualTo("DELETE FROM owner RETURNING *");
    }

    @Test
    void usingColumnsLeftOfARightOrFullJoinAreNamedUnqualifiedAsSqliteNamesThem() throws SQLException {
        assertThat(expand("SELECT * FROM bag FULL JOIN tag USING (item)"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"item\" AS \"item\", \"tag\".\"label\" FROM bag FULL JOIN tag"
                        + " USING (item)");
        assertThat(expand("SELECT b.* FROM bag b RIGHT JOIN tag USING (item)")) // a qualified star keeps its table's
                .isEqualTo("SELECT b.\"owner_id\", b.\"item\" FROM bag b RIGHT JOIN tag USING (item)");
    }

    @Test
    void aStarAfterOtherReturningColumnsIsTheWrittenTables() throws SQLException {
        assertThat(expand("INSERT INTO bag SELECT * FROM tag WHERE true RETURNING item, *", "bag"))
                .isEqualTo("INSERT INTO bag SELECT \"tag\".\"item\", \"tag\".\"label\" FROM tag WHERE true"
                        + " RETURNING item, \"owner_id\", \"item\"");
        assertThat(expand("INSERT INTO owner SELECT * FROM bag WHERE true RETURNING id, *", "owner"))
                .isEqualTo("INSERT INTO owner SELECT \"bag\".\"owner_id\", \"bag\".\"item\" FROM bag WHERE true"
                        + " RETURNING id, *");
    }

    @Test
    void isDistinctFromIsAnOperatorNotAFromClause() throws SQLException {
        assertThat(expand("SELECT *, item IS NOT DISTINCT FROM 'x' FROM bag"))
                .isEqualTo("SELECT \"bag\".\"owner_id\", \"bag\".\"item\", item IS NOT DISTINCT FROM 'x' FROM bag");
    }

    @Test
    void everythingElseStaysAsWritten() throws SQLException {
        for (String sql : List.of(
                "SELECT count(*) FROM bag",
                "SELECT owner_id * 2, item FROM bag",
                "SELECT * FROM owner",
                "SELECT o.* FROM owner o JOIN bag b ON b.owner_id = o.id",
                "WITH bag AS (SELECT 1 AS a) SELECT * FROM bag", // the CTE, not the table
                "SELECT * FROM bag, (SELECT 1)", // an unnamed subquery: its columns cannot be named
                "SELECT * FROM (bag JOIN tag USING (item))", // a parenthesised join
                "SELECT * FROM nosuchtable",
                "SELECT __corrosion_row_id, * FROM owner")) {
            assertThat(expand(sql)).as(sql).isEqualTo(sql);
        }
    }

    @Test
    void theClassifierMarksStatementsWithAStarResultColumnOrANaturalJoin() {
        assertThat(Interceptor.classify("SELECT * FROM bag").starOrNatural()).isTrue();
        assertThat(Interceptor.classify("SELECT b.* FROM bag b").starOrNatural()).isTrue();
        assertThat(Interceptor.classify("SELECT a, * FROM bag").starOrNatural()).isTrue();
        assertThat(Interceptor.classify("DELETE FROM bag RETURNING *").starOrNatural()).isTrue();
        assertThat(Interceptor.classify("SELECT count(*) FROM bag").starOrNatural()).isFalse();
        assertThat(Interceptor.classify("SELECT a * b FROM bag").starOrNatural()).isFalse();
        assertThat(Interceptor.classify("SELECT 2*3").starOrNatural()).isFalse();
        assertThat(Interceptor.classify("SELECT a FROM bag NATURAL JOIN tag").starOrNatural()).isTrue();
        assertThat(Interceptor.classify("SELECT * FROM bag").plainRead()).isTrue();
    }
}
