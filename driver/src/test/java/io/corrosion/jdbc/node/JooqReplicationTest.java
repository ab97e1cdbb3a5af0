package io.corrosion.jdbc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.constraint;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jooq.meta.SchemaDefinition;
import org.jooq.meta.sqlite.SQLiteDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jOOQ 3.19 (SQLDialect.SQLITE) on two nodes: its DDL works unchanged, ids it gets back from inserts are node-private,
 * the nodes merge, and its schema readers — {@code DSL.meta()} and the code generator's {@code SQLiteDatabase} — see
 * only the application's tables and columns.
 */
class JooqReplicationTest {
    private static final Table<Record> AUTHOR = table(name("author"));
    private static final Table<Record> BOOK = table(name("book"));
    private static final Field<Long> ID = field(name("id"), Long.class);
    private static final Field<String> NAME = field(name("name"), String.class);
    private static final Field<String> EMAIL = field(name("email"), String.class);
    private static final Field<Long> AUTHOR_ID = field(name("author_id"), Long.class);
    private static final Field<String> TITLE = field(name("title"), String.class);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    private static void migrate(DSLContext ctx) {
        ctx.createTableIfNotExists(AUTHOR).column(ID, SQLDataType.BIGINT.identity(true))
                .column(NAME, SQLDataType.VARCHAR(100).nullable(false)).column(EMAIL, SQLDataType.VARCHAR(100))
                .constraints(constraint("pk_author").primaryKey(ID), constraint("uk_email").unique(EMAIL)).execute();
        ctx.createTableIfNotExists(BOOK).column(ID, SQLDataType.BIGINT.nullable(false))
                .column(AUTHOR_ID, SQLDataType.BIGINT.nullable(false)).column(TITLE, SQLDataType.VARCHAR(200).nullable(false))
                .constraints(constraint("pk_book").primaryKey(ID),
                        constraint("fk_author").foreignKey(AUTHOR_ID).references(AUTHOR, ID),
                        constraint("ck_title").check(TITLE.ne(""))).execute();
        ctx.alterTable(BOOK).add(field(name("isbn"), SQLDataType.VARCHAR(20))).execute();
    }

    @Test
    void jooqSchemasWorkIdsStayNodePrivateAndNodesMerge() throws SQLException {
        // Each node its own slot, as the README asks: unconnected nodes pick theirs by a hash of their site ids, and
        // 1 run in 1024 both picked one and generated the same ids.
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            DSLContext ja = DSL.using(a.c, SQLDialect.SQLITE);
            DSLContext jb = DSL.using(b.c, SQLDialect.SQLITE);
            migrate(ja);
            migrate(jb);
            long ada = ja.insertInto(AUTHOR, NAME, EMAIL).values("ada", "ada@x").returning(ID).fetchOne(ID);
            long bob = jb.insertInto(AUTHOR, NAME, EMAIL).values("bob", "bob@x").returning(ID).fetchOne(ID);
            assertThat(ada).isNotEqualTo(bob);
            ja.insertInto(BOOK, ID, AUTHOR_ID, TITLE).values(1L, ada, "notes").execute();
            jb.insertInto(BOOK, ID, AUTHOR_ID, TITLE).values(2L, bob, "poems").execute();
            Node.sync(a, b);

            ja.update(BOOK).set(TITLE, "notes, 2nd ed.").where(ID.eq(1L)).execute();
            jb.update(BOOK).set(field(name("isbn"), String.class), "978-1").where(ID.eq(1L)).execute();
            Node.sync(a, b);
            for (DSLContext ctx : List.of(ja, jb)) {
                assertThat(ctx.select(NAME).from(AUTHOR).orderBy(NAME).fetch(NAME)).containsExactly("ada", "bob");
                assertThat(ctx.select(TITLE, field(name("isbn"))).from(BOOK).where(ID.eq(1L)).fetchOne().intoList())
                        .containsExactly("notes, 2nd ed.", "978-1");
            }
        }
    }

    /** jOOQ's upsert by a UNIQUE column, {@code onConflict(EMAIL).doUpdate()}, with the key it returns, merged. */
    @Test
    void jooqUpsertsByAUniqueColumn() throws SQLException {
        try (Node a = new Node(dir, "a", "node-slot=1"); Node b = new Node(dir, "b", "node-slot=2")) {
            DSLContext ja = DSL.using(a.c, SQLDialect.SQLITE);
            migrate(ja);
            migrate(DSL.using(b.c, SQLDialect.SQLITE));
            long ada = ja.insertInto(AUTHOR, NAME, EMAIL).values("ada", "ada@x").returning(ID).fetchOne(ID);
            long again = ja.insertInto(AUTHOR, NAME, EMAIL).values("Ada L.", "ada@x").onConflict(EMAIL).doUpdate()
                    .set(NAME, DSL.excluded(NAME)).returning(ID).fetchOne(ID);
            int inserted = ja.insertInto(AUTHOR, NAME, EMAIL).values("bob", "bob@x").onConflict(EMAIL).doNothing().execute();
            int ignored = ja.insertInto(AUTHOR, NAME, EMAIL).values("bobby", "bob@x").onConflict(EMAIL).doNothing().execute();
            assertThat(List.of(again, (long) inserted, (long) ignored)).containsExactly(ada, 1L, 0L);
            Node.sync(a, b);
            for (Node n : List.of(a, b)) {
                assertThat(n.rows("SELECT name, email FROM author ORDER BY email"))
                        .containsExactly(List.of("Ada L.", "ada@x"), List.of("bob", "bob@x"));
            }
        }
    }

    @Test
    void jooqSchemaReadersSeeOnlyTheApplicationsTables() throws SQLException {
        try (Node a = new Node(dir, "a")) {
            migrate(DSL.using(a.c, SQLDialect.SQLITE));
            a.exec("create table tag_bag (book_id int not null, tag text)");
            DSLContext ctx = DSL.using(a.c, SQLDialect.SQLITE);
            assertThat(ctx.meta().getTables()).extracting(Table::getName)
                    .containsExactlyInAnyOrder("author", "book", "tag_bag");
            assertThat(ctx.meta().getTables("tag_bag").get(0).fields()).extracting(Field::getName)
                    .containsExactly("book_id", "tag");

            SQLiteDatabase generator = new SQLiteDatabase();
            generator.setConnection(a.c);
            generator.setIncludes(new String[] {".*"});
            generator.setExcludes(new String[0]);
            SchemaDefinition schema = generator.getSchemata().get(0);
            assertThat(generator.getTables(schema)).extracting(org.jooq.meta.Definition::getName)
                    .containsExactlyInAnyOrder("author", "book", "tag_bag");
            assertThat(generator.getTable(schema, "tag_bag").getColumns()).extracting(org.jooq.meta.Definition::getName)
                    .containsExactly("book_id", "tag");
        }
    }
}
