package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The columns and primary key of a {@code CREATE TABLE ... (...)} statement, read from its tokens (JSqlParser cannot
 * parse {@code WITHOUT ROWID}, {@code STRICT}, untyped columns or {@code [bracketed]} names). Offsets point into the
 * statement's text so a rewrite can splice it.
 *
 * @param table        the table name, unquoted
 * @param temporary    {@code CREATE TEMP TABLE} or a {@code temp.} name
 * @param withoutRowid the table has the {@code WITHOUT ROWID} option
 * @param columns      the column definitions in order
 * @param primaryKey   the primary key's column names in order: from a column's {@code PRIMARY KEY} or the table's
 *                     {@code PRIMARY KEY (...)}; empty if the table has none
 */
public record CreateTableShape(
        String table, boolean temporary, boolean withoutRowid, List<Column> columns, List<String> primaryKey) {

    /**
     * One column definition.
     *
     * @param name           the column name, unquoted
     * @param declaredType   the type as written (e.g. {@code bigint}, {@code varchar(255)}); empty if untyped
     * @param typeStart      offset of the type's first character; for an untyped column, the end of its name
     * @param typeEnd        offset after the type's last character; equals {@code typeStart} if untyped
     * @param primaryKeyDesc the column's own constraint is {@code PRIMARY KEY DESC}, which SQLite does not make a rowid
     *                       alias
     * @param generated      a generated column ({@code [GENERATED ALWAYS] AS (...)})
     */
    public record Column(String name, String declaredType, int typeStart, int typeEnd, boolean primaryKeyDesc,
            boolean generated) {}

    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of("CONSTRAINT", "PRIMARY", "NOT", "NULL",
            "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS");
    private static final Set<String> TABLE_CONSTRAINT_WORDS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
            "FOREIGN");

    public CreateTableShape {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** The column of this name (ignoring case). */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The column names in order, lower-cased. */
    public List<String> lowerCaseColumnNames() {
        return columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The shape of a {@code CREATE TABLE} statement with a column list; empty for anything else ({@code CREATE TABLE
     * ... AS SELECT}, other statements, text this reader does not follow).
     */
    public static Optional<CreateTableShape> parse(String sql) {
        return new Reader(sql).read();
    }

    private static final class Reader extends TokenReader {
        Reader(String sql) {
            super(sql);
        }

        Optional<CreateTableShape> read() {
            if (!take("CREATE")) {
                return Optional.empty();
            }
            boolean temporary = take("TEMP") || take("TEMPORARY");
            if (!take("TABLE")) {
                return Optional.empty();
            }
            if (take("IF")) {
                take("NOT");
                take("EXISTS");
            }
            if (!isName(pos)) {
                return Optional.empty();
            }
            String table = tokens.get(pos++).name(sql);
            if (isSymbol(pos, '.') && isName(pos + 1)) {
                temporary |= table.equalsIgnoreCase("temp");
                table = tokens.get(pos + 1).name(sql);
                pos += 2;
            }
            if (!isSymbol(pos, '(')) {
                return Optional.empty(); // CREATE TABLE ... AS SELECT
            }
            int close = matchingParen(pos);
            if (close < 0) {
                return Optional.empty();
            }
            List<Column> columns = new ArrayList<>();
            List<String> primaryKey = new ArrayList<>();
            for (int[] def : definitions(pos + 1, close)) {
                if (tokens.get(def[0]).type() == SqlToken.Type.WORD
                        && TABLE_CONSTRAINT_WORDS.contains(tokens.get(def[0]).text())) {
                    tableConstraint(def[0], def[1], primaryKey);
                } else {
                    Column column = column(def[0], def[1]);
                    if (column == null) {
                        return Optional.empty();
                    }
                    columns.add(column);
                    if (hasWordPair(def[0], def[1], "PRIMARY", "KEY")) {
                        primaryKey.add(column.name());
                    }
                }
            }
            boolean withoutRowid = false;
            for (int i = close + 1; i + 1 < tokens.size(); i++) {
                withoutRowid |= tokens.get(i).isWord("WITHOUT") && tokens.get(i + 1).isWord("ROWID");
            }
            return Optional.of(new CreateTableShape(table, temporary, withoutRowid, columns, primaryKey));
        }

        /** [start, end) token ranges of the comma-separated definitions between {@code from} and {@code close}. */
        private List<int[]> definitions(int from, int close) {
            List<int[]> defs = new ArrayList<>();
            int depth = 0;
            int start = from;
            for (int i = from; i < close; i++) {
                SqlToken t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (depth == 0 && t.isSymbol(',')) {
                    if (i > start) {
                        defs.add(new int[] {start, i});
                    }
                    start = i + 1;
                }
            }
            if (close > start) {
                defs.add(new int[] {start, close});
            }
            return defs;
        }

        private Column column(int start, int end) {
            if (!isName(start)) {
                return null;
            }
            SqlToken nameToken = tokens.get(start);
            int i = start + 1;
            int typeStart = nameToken.end();
            int typeEnd = typeStart;
            while (i < end && isTypeWord(tokens.get(i))) {
                if (typeEnd == typeStart) {
                    typeStart = tokens.get(i).start();
                }
                typeEnd = tokens.get(i).end();
                i++;
            }
            if (typeEnd > typeStart && i < end && tokens.get(i).isSymbol('(')) {
                int close = matchingParen(i);
                if (close < 0 || close >= end) {
                    return null;
                }
                typeEnd = tokens.get(close).end();
                i = close + 1;
            }
            boolean desc = false;
            boolean generated = false;
            for (int j = i; j < end; j++) {
                SqlToken t = tokens.get(j);
                if (t.isWord("PRIMARY") && j + 2 < end && tokens.get(j + 1).isWord("KEY")) {
                    desc = tokens.get(j + 2).isWord("DESC");
                }
                generated |= t.isWord("AS") && j + 1 < end && tokens.get(j + 1).isSymbol('(');
            }
            String type = sql.substring(typeStart, typeEnd);
            return new Column(nameToken.name(sql), type, typeStart, typeEnd, desc, generated);
        }

        private static boolean isTypeWord(SqlToken t) {
            return (t.type() == SqlToken.Type.WORD && !COLUMN_CONSTRAINT_WORDS.contains(t.text()))
                    || t.type() == SqlToken.Type.QUOTED_IDENTIFIER;
        }

        private void tableConstraint(int start, int end, List<String> primaryKey) {
            for (int i = start; i + 2 < end; i++) {
                if (tokens.get(i).isWord("PRIMARY") && tokens.get(i + 1).isWord("KEY")
                        && tokens.get(i + 2).isSymbol('(')) {
                    int close = matchingParen(i + 2);
                    boolean expectName = true;
                    for (int j = i + 3; j < close; j++) {
                        SqlToken t = tokens.get(j);
                        if (t.isSymbol(',')) {
                            expectName = true;
                        } else if (expectName && t.isName()) {
                            primaryKey.add(t.name(sql));
                            expectName = false;
                        }
                    }
                    return;
                }
            }
        }

        private boolean hasWordPair(int start, int end, String first, String second) {
            for (int i = start; i + 1 < end; i++) {
                if (tokens.get(i).isWord(first) && tokens.get(i + 1).isWord(second)) {
                    return true;
                }
            }
            return false;
        }
    }
}
