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
 * @param strict       the table has the {@code STRICT} option
 * @param columns      the column definitions in order
 * @param primaryKey   the primary key's column names in order: from a column's {@code PRIMARY KEY} or the table's
 *                     {@code PRIMARY KEY (...)}; empty if the table has none
 * @param uniques      the UNIQUE constraints, of columns and of the table, in order
 * @param checks       the expressions of the CHECK constraints, of columns and of the table, in order
 * @param primaryKeyOnConflict the action of the primary key's {@code ON CONFLICT} clause, upper case; null if none
 * @param primaryKeyStart offset of the primary key's {@code PRIMARY} word; -1 if the table has none
 * @param bodyEnd      offset of the parenthesis that closes the definitions
 */
public record CreateTableShape(
        String table, boolean temporary, boolean withoutRowid, boolean strict, List<Column> columns, List<String> primaryKey,
        List<Unique> uniques, List<String> checks, String primaryKeyOnConflict, int primaryKeyStart, int bodyEnd) {

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
     * @param notNull        the column has a {@code NOT NULL} constraint
 * @param notNullOnConflict the action of that constraint's {@code ON CONFLICT} clause, upper case; null if none
     * @param definitionEnd  offset where the column's definition ends (its comma or the closing parenthesis)
     */
    public record Column(String name, String declaredType, int typeStart, int typeEnd, boolean primaryKeyDesc,
            boolean generated, boolean notNull, String notNullOnConflict, int definitionEnd) {}

    /**
     * A UNIQUE constraint: {@code name text UNIQUE} or {@code [CONSTRAINT n] UNIQUE (a, b)}.
     *
     * @param name    the constraint's name; null if it has none
     * @param columns its columns in order
     * @param start   offset of its text: for a column constraint the {@code CONSTRAINT} or {@code UNIQUE} word, for a
     *                table constraint the comma before it
     * @param end     offset after its text (including an {@code ON CONFLICT} clause)
     * @param onConflict the action of its {@code ON CONFLICT} clause, upper case; null if it has none
     */
    public record Unique(String name, List<String> columns, int start, int end, String onConflict) {
        public Unique {
            columns = List.copyOf(columns);
        }
    }

    private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of("CONSTRAINT", "PRIMARY", "NOT", "NULL",
            "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS");
    private static final Set<String> TABLE_CONSTRAINT_WORDS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
            "FOREIGN");

    public CreateTableShape {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniques = List.copyOf(uniques);
        checks = List.copyOf(checks);
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
            List<Unique> uniques = new ArrayList<>();
            List<String> checks = new ArrayList<>();
            String keyOnConflict = null;
            int keyStart = -1;
            for (int[] def : definitions(pos + 1, close)) {
                checks(def[0], def[1], checks);
                int key = keyStart >= 0 ? -1 : topLevelWordPair(def[0], def[1], "PRIMARY", "KEY");
                if (key >= 0) {
                    keyStart = tokens.get(key).start();
                    keyOnConflict = keyOnConflict(key, def[1]);
                }
                if (tokens.get(def[0]).type() == SqlToken.Type.WORD
                        && TABLE_CONSTRAINT_WORDS.contains(tokens.get(def[0]).text())) {
                    tableConstraint(def[0], def[1], primaryKey, uniques);
                } else {
                    Column column = column(def[0], def[1]);
                    if (column == null) {
                        return Optional.empty();
                    }
                    columns.add(column);
                    if (hasWordPair(def[0], def[1], "PRIMARY", "KEY")) {
                        primaryKey.add(column.name());
                    }
                    columnUnique(column.name(), def[0] + 1, def[1], uniques);
                }
            }
            boolean withoutRowid = false;
            boolean strict = false;
            for (int i = close + 1; i < tokens.size(); i++) {
                withoutRowid |= i + 1 < tokens.size() && tokens.get(i).isWord("WITHOUT") && tokens.get(i + 1).isWord("ROWID");
                strict |= tokens.get(i).isWord("STRICT");
            }
            return Optional.of(new CreateTableShape(table, temporary, withoutRowid, strict, columns, primaryKey, uniques,
                    checks, keyOnConflict, keyStart, tokens.get(close).start()));
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
            int notNull = topLevelWordPair(i, end, "NOT", "NULL");
            String notNullOnConflict = notNull < 0 ? null : conflictAction(notNull + 2, afterConflictClause(notNull + 2, end));
            return new Column(nameToken.name(sql), type, typeStart, typeEnd, desc, generated, notNull >= 0,
                    notNullOnConflict, tokens.get(end).start());
        }

        /** The action of the {@code PRIMARY KEY [ASC|DESC] [(...)] ON CONFLICT <action>} at {@code key}; null if none. */
        private String keyOnConflict(int key, int end) {
            int i = key + 2;
            if (i < end && (tokens.get(i).isWord("ASC") || tokens.get(i).isWord("DESC"))) {
                i++;
            } else if (i < end && tokens.get(i).isSymbol('(')) {
                i = matchingParen(i) + 1;
            }
            return i <= 0 ? null : conflictAction(i, afterConflictClause(i, end));
        }

        /** The expressions of the {@code CHECK (...)} constraints of one definition, outside parentheses. */
        private void checks(int from, int end, List<String> checks) {
            for (int i = topLevel(from, t -> t.isWord("CHECK")); i >= 0 && i + 1 < end;
                    i = topLevel(i + 1, t -> t.isWord("CHECK"))) {
                int close = tokens.get(i + 1).isSymbol('(') ? matchingParen(i + 1) : -1;
                if (close > i + 2 && close < end) {
                    checks.add(sql.substring(tokens.get(i + 2).start(), tokens.get(close - 1).end()));
                }
            }
        }

        /** A column's {@code [CONSTRAINT n] UNIQUE [ON CONFLICT x]}, outside parentheses. */
        private void columnUnique(String column, int from, int end, List<Unique> uniques) {
            int depth = 0;
            for (int i = from; i < end; i++) {
                SqlToken t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (depth == 0 && t.isWord("UNIQUE")) {
                    int start = i;
                    String name = null;
                    if (i >= 2 && tokens.get(i - 2).isWord("CONSTRAINT") && i - 2 >= from) {
                        start = i - 2;
                        name = tokens.get(i - 1).name(sql);
                    }
                    int after = afterConflictClause(i + 1, end);
                    uniques.add(new Unique(name, List.of(column), tokens.get(start).start(), tokens.get(after - 1).end(),
                            conflictAction(i + 1, after)));
                    return;
                }
            }
        }

        /** The action of the {@code ON CONFLICT <action>} between tokens {@code i} and {@code after}; null if none. */
        private String conflictAction(int i, int after) {
            return after == i + 3 ? tokens.get(i + 2).text().toUpperCase(Locale.ROOT) : null;
        }

        /** The token after an optional {@code ON CONFLICT <action>} starting at token {@code i}, before {@code end}. */
        private int afterConflictClause(int i, int end) {
            if (i + 2 < end && tokens.get(i).isWord("ON") && tokens.get(i + 1).isWord("CONFLICT")) {
                return i + 3;
            }
            return i;
        }

        /** The token where {@code first second} starts outside parentheses; -1 if none. */
        private int topLevelWordPair(int start, int end, String first, String second) {
            int depth = 0;
            for (int i = start; i + 1 < end; i++) {
                SqlToken t = tokens.get(i);
                if (t.isSymbol('(')) {
                    depth++;
                } else if (t.isSymbol(')')) {
                    depth--;
                } else if (depth == 0 && t.isWord(first) && tokens.get(i + 1).isWord(second)) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean isTypeWord(SqlToken t) {
            return (t.type() == SqlToken.Type.WORD && !COLUMN_CONSTRAINT_WORDS.contains(t.text()))
                    || t.type() == SqlToken.Type.QUOTED_IDENTIFIER;
        }

        private void tableConstraint(int start, int end, List<String> primaryKey, List<Unique> uniques) {
            int unique = tokens.get(start).isWord("UNIQUE") ? start
                    : start + 2 < end && tokens.get(start).isWord("CONSTRAINT") && tokens.get(start + 2).isWord("UNIQUE")
                            ? start + 2 : -1;
            if (unique >= 0 && unique + 1 < end && tokens.get(unique + 1).isSymbol('(')) {
                int close = matchingParen(unique + 1);
                if (close > 0 && close < end) {
                    List<String> columns = new ArrayList<>();
                    boolean expectName = true;
                    for (int j = unique + 2; j < close; j++) {
                        SqlToken t = tokens.get(j);
                        if (t.isSymbol(',')) {
                            expectName = true;
                        } else if (expectName && t.isName()) {
                            columns.add(t.name(sql));
                            expectName = false;
                        }
                    }
                    String name = unique == start ? null : tokens.get(start + 1).name(sql);
                    int comma = tokens.get(start - 1).start(); // definitions after the first follow a comma
                    uniques.add(new Unique(name, columns, comma, tokens.get(end - 1).end(),
                            conflictAction(close + 1, afterConflictClause(close + 1, end))));
                }
                return;
            }
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
