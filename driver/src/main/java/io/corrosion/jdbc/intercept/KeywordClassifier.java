package io.corrosion.jdbc.intercept;

import io.corrosion.jdbc.InternalTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies one statement from its keywords alone. It decides the kind of every statement and finds target table,
 * index name and INSERT column list; it also covers everything JSqlParser cannot parse (PRAGMA, BEGIN IMMEDIATE,
 * INSERT OR IGNORE, WITHOUT ROWID, STRICT, CREATE TRIGGER, [bracketed] names, ...).
 */
final class KeywordClassifier {
    private static final Set<String> MAIN_KEYWORDS = Set.of("SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE");
    private static final Set<String> TRANSACTION_KEYWORDS =
            Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");

    private final String sql;
    private final List<SqlToken> tokens;
    private int pos;

    private StatementKind kind = StatementKind.OTHER;
    private final List<String> tables = new ArrayList<>(1);
    private String objectName;
    private final List<String> insertColumns = new ArrayList<>();
    private ConflictResolution orAction = ConflictResolution.NONE;
    private boolean onConflict;
    private boolean onConflictIgnoresAny;
    private boolean returning;
    private boolean temporary;
    private String schema;

    private KeywordClassifier(String sql) {
        this.sql = sql;
        this.tokens = SqlLexer.tokenize(sql);
    }

    static StatementPlan classify(String statementSql) {
        KeywordClassifier c = new KeywordClassifier(statementSql);
        c.classifyStatement();
        return new StatementPlan(c.kind, statementSql, c.tables, c.objectName, c.insertColumns, c.orAction,
                c.onConflict, c.onConflictIgnoresAny, c.returning, c.temporary, c.schema, mentionsDriverOwned(statementSql),
                StarExpansion.applies(c.tokens));
    }

    /**
     * Names the driver owns or answers itself: its internal tables, Hibernate's id-generator column, and SQLite's schema
     * relations (the driver leaves its own objects out of them: {@link SchemaReads}).
     */
    private static boolean mentionsDriverOwned(String sql) {
        return InternalTables.mentionedIn(sql) || GeneratorStatements.mentionedIn(sql) || SchemaReads.mentionedIn(sql);
    }

    private void classifyStatement() {
        while (pos < tokens.size() && tokens.get(pos).isSymbol('(')) {
            pos++; // "(SELECT ...) UNION ..."
        }
        if (pos >= tokens.size()) {
            return;
        }
        if (peekWord("WITH") && !skipCommonTableExpressions()) {
            return;
        }
        String first = tokens.get(pos).type() == SqlToken.Type.WORD ? tokens.get(pos).text() : "";
        switch (first) {
            case "SELECT", "VALUES", "EXPLAIN" -> kind = StatementKind.READ;
            case "INSERT", "REPLACE" -> insert();
            case "UPDATE" -> update();
            case "DELETE" -> delete();
            case "CREATE" -> create();
            case "ALTER" -> alter();
            case "DROP" -> drop();
            case "PRAGMA" -> pragma();
            default -> kind = TRANSACTION_KEYWORDS.contains(first) ? StatementKind.TRANSACTION : StatementKind.OTHER;
        }
    }

    /** Moves to the main statement after {@code WITH [RECURSIVE] name AS (...), ...}; false if none is found. */
    private boolean skipCommonTableExpressions() {
        int main = topLevel(pos + 1, t -> t.type() == SqlToken.Type.WORD && MAIN_KEYWORDS.contains(t.text()));
        if (main < 0) {
            return false;
        }
        pos = main;
        return true;
    }

    /** Index of the first token from {@code from} on, outside parentheses, that matches; -1 if none. */
    private int topLevel(int from, java.util.function.Predicate<SqlToken> match) {
        return TokenReader.topLevel(tokens, from, match);
    }

    private void insert() {
        if (takeWord("REPLACE")) {
            orAction = ConflictResolution.REPLACE;
        } else {
            pos++; // INSERT
            takeConflictResolution();
        }
        takeWord("INTO");
        targetTable();
        if (takeWord("AS")) {
            pos++;
        }
        if (pos < tokens.size() && tokens.get(pos).isSymbol('(')) {
            columnList();
        }
        scanTopLevelClauses();
        if (orAction == ConflictResolution.REPLACE) {
            kind = StatementKind.REPLACE;
        } else {
            kind = onConflict ? StatementKind.UPSERT : StatementKind.INSERT;
        }
    }

    private void update() {
        kind = StatementKind.UPDATE;
        pos++;
        takeConflictResolution();
        targetTable();
        scanTopLevelClauses();
    }

    private void delete() {
        kind = StatementKind.DELETE;
        pos++;
        takeWord("FROM");
        targetTable();
        scanTopLevelClauses();
    }

    private void create() {
        pos++;
        temporary = takeWord("TEMP") || takeWord("TEMPORARY");
        boolean unique = takeWord("UNIQUE");
        if (takeWord("TABLE")) {
            kind = StatementKind.CREATE_TABLE;
            skipIfNotExists();
            targetTable();
        } else if (takeWord("INDEX")) {
            kind = StatementKind.CREATE_INDEX;
            skipIfNotExists();
            String[] index = qualifiedName(); // an index lives in its table's schema: "CREATE INDEX aux.i ON t"
            objectName = index[1];
            schema = index[0];
            temporary |= "temp".equalsIgnoreCase(index[0]);
            takeWord("ON");
            targetTable();
        } else if (!unique && (takeWord("VIEW") || takeWord("TRIGGER"))) {
            skipIfNotExists();
            objectName = qualifiedName()[1];
            if (seekTopLevelWord("ON")) {
                targetTable(); // the trigger's table
            }
        }
    }

    private void alter() {
        pos++;
        if (takeWord("TABLE")) {
            kind = StatementKind.ALTER_TABLE;
            targetTable();
        }
    }

    private void drop() {
        pos++;
        if (takeWord("TABLE")) {
            kind = StatementKind.DROP_TABLE;
            skipIfNotExists();
            targetTable();
        } else if (takeWord("INDEX")) {
            kind = StatementKind.DROP_INDEX;
            skipIfNotExists();
            String[] index = qualifiedName();
            objectName = index[1];
            schema = index[0];
            temporary |= "temp".equalsIgnoreCase(index[0]);
        } else if (takeWord("VIEW") || takeWord("TRIGGER")) {
            skipIfNotExists();
            objectName = qualifiedName()[1];
        }
    }

    private void pragma() {
        kind = StatementKind.PRAGMA;
        pos++;
        objectName = qualifiedName()[1];
    }

    private void takeConflictResolution() {
        if (takeWord("OR") && pos < tokens.size()) {
            orAction = ConflictResolution.ofKeyword(tokens.get(pos).text());
            pos++;
        }
    }

    private void targetTable() {
        String[] name = qualifiedName();
        if (name[1] != null) {
            tables.add(name[1]);
            temporary |= "temp".equalsIgnoreCase(name[0]);
            if (schema == null) {
                schema = name[0];
            }
        }
    }

    /** {@code [schema .] name} at the cursor as {schema, name}; nulls where absent. */
    private String[] qualifiedName() {
        if (pos >= tokens.size() || !tokens.get(pos).isName()) {
            return new String[2];
        }
        String name = tokens.get(pos++).name(sql);
        if (pos + 1 < tokens.size() && tokens.get(pos).isSymbol('.') && tokens.get(pos + 1).isName()) {
            String schema = name;
            name = tokens.get(pos + 1).name(sql);
            pos += 2;
            return new String[] {schema, name};
        }
        return new String[] {null, name};
    }

    private void columnList() {
        int depth = 0;
        boolean expectName = true;
        for (; pos < tokens.size(); pos++) {
            SqlToken t = tokens.get(pos);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                if (--depth == 0) {
                    pos++;
                    return;
                }
            } else if (depth == 1 && t.isSymbol(',')) {
                expectName = true;
            } else if (depth == 1 && expectName && t.isName()) {
                insertColumns.add(t.name(sql));
                expectName = false;
            }
        }
    }

    /** ON CONFLICT and RETURNING outside parentheses, from the cursor on. */
    private void scanTopLevelClauses() {
        int on = topLevel(pos, t -> t.isWord("ON"));
        while (on >= 0) {
            if (on + 1 < tokens.size() && tokens.get(on + 1).isWord("CONFLICT")) {
                onConflict = true;
                // the last clause decides: ON CONFLICT DO NOTHING, no target
                onConflictIgnoresAny = on + 3 < tokens.size() && tokens.get(on + 2).isWord("DO")
                        && tokens.get(on + 3).isWord("NOTHING");
            }
            on = topLevel(on + 1, t -> t.isWord("ON"));
        }
        returning = topLevel(pos, t -> t.isWord("RETURNING")) >= 0;
    }

    private boolean seekTopLevelWord(String word) {
        int at = topLevel(pos, t -> t.isWord(word));
        if (at < 0) {
            return false;
        }
        pos = at + 1;
        return true;
    }

    private void skipIfNotExists() {
        if (peekWord("IF")) {
            pos++;
            takeWord("NOT");
            takeWord("EXISTS");
        }
    }

    private boolean peekWord(String word) {
        return pos < tokens.size() && tokens.get(pos).isWord(word);
    }

    private boolean takeWord(String word) {
        if (peekWord(word)) {
            pos++;
            return true;
        }
        return false;
    }
}
