package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites one INSERT (also {@code INSERT OR ...}, {@code REPLACE INTO}, UPSERT, {@code RETURNING}, a leading
 * {@code WITH}) so that every row's key value passes through an SQL function call, {@code <call prefix><value>)},
 * which returns the value if it is not NULL and allocates one otherwise. The statement's parameters keep their number
 * and order; only the key column's expression is wrapped, or the key column added with a NULL value:
 *
 * <ul>
 *   <li>{@code VALUES}: each row's key item is wrapped; a column list without the key gets it appended, each row a
 *       {@code <call>NULL)}. Without a column list the key is the item at the key's position in the table.</li>
 *   <li>{@code SELECT} (any select, compound or not): the select becomes a CTE with numbered columns,
 *       {@code WITH __corrosion_rows(c1, ..., cn) AS (<select>) SELECT c1, <call>c2), ... FROM __corrosion_rows
 *       WHERE true} ({@code WHERE true} keeps a following {@code ON CONFLICT} unambiguous, as SQLite requires).</li>
 *   <li>{@code DEFAULT VALUES} becomes {@code ("key") VALUES (<call>NULL))}.</li>
 * </ul>
 * The hidden key of a table created without a primary key ({@link CrrTableDdl#ROW_ID_COLUMN}) is one the application
 * never names: without a column list, its rows supply every other column, and the key's {@code <call>NULL)} is
 * inserted at its position.
 * Works on tokens, so everything else in the statement stays as the application wrote it.
 */
public final class InsertKeyRewrite extends InsertReader {
    private static final String ROWS_CTE = "__corrosion_rows";

    private final String keyColumn;
    /** {@code rowid}, {@code oid} and {@code _rowid_} where no column takes them: they name the key too. */
    private final Set<String> rowidAliases;
    private final boolean hiddenKey;
    private final String callPrefix;
    /**
     * A statement of a trigger body, where SQLite allows no {@code WITH}: selects are wrapped as a subquery. Null
     * outside one; in one, the table's insertable columns in order, for a column list where the rows leave the key out.
     */
    private final List<String> triggerColumns;
    private final boolean inTrigger;
    /**
     * In a trigger body, the rowid alias that names the key where the body leaves it out ({@code rowid}, else
     * {@code _rowid_} or {@code oid}, whichever no column takes); null outside one, or if every alias is a column.
     */
    private final String triggerRowid;
    private InsertKeyRewrite(String sql, String keyColumn, Set<String> rowidAliases, String callPrefix,
            List<String> triggerColumns) {
        super(sql);
        this.keyColumn = keyColumn;
        this.rowidAliases = rowidAliases;
        this.hiddenKey = keyColumn.equalsIgnoreCase(CrrTableDdl.ROW_ID_COLUMN);
        this.callPrefix = callPrefix;
        this.triggerColumns = triggerColumns;
        this.inTrigger = triggerColumns != null;
        this.triggerRowid = !inTrigger ? null
                : List.of("rowid", "_rowid_", "oid").stream().filter(rowidAliases::contains).findFirst().orElse(null);
    }

    /**
     * The INSERT with its key value wrapped; empty if the statement is not an INSERT this rewrite understands (SQLite
     * then runs it as written).
     *
     * @param statementSql     one INSERT statement
     * @param keyColumn        the key column's name as declared
     * @param keyPosition      the key's position among the table's insertable (non-generated) columns, 0-based
     * @param insertableColumns how many insertable columns the table has
     * @param callPrefix       the function call up to its last argument, e.g. {@code __corrosion_key('t', 'id', }
     * @param rowidAliases     of {@code rowid}, {@code oid} and {@code _rowid_}, those no column of the table takes
     *                         (lower case): a column list may name the key by them
     */
    public static Optional<String> rewrite(String statementSql, String keyColumn, int keyPosition,
            int insertableColumns, String callPrefix, Set<String> rowidAliases) {
        InsertKeyRewrite r = new InsertKeyRewrite(statementSql, keyColumn, rowidAliases, callPrefix, null);
        return r.run(keyPosition, insertableColumns) ? Optional.of(r.apply()) : Optional.empty();
    }

    /**
     * As {@link #rewrite}, for an INSERT inside a trigger body, where SQLite allows no {@code WITH}: an
     * {@code INSERT ... SELECT} becomes {@code SELECT *, <call>NULL) FROM (<select>) WHERE true}, so it is rewritten
     * only if its rows leave the key out (a column list without it, or a table whose hidden key the application never
     * names: then the columns are listed). Empty for any other shape. Where the rows leave the key out, the body names it
     * as the rowid, first: the trigger is stored and runs against the table of that name as it is then, which a
     * DROP and CREATE may have given another key or none of its own; the rowid is the key of any table the driver
     * gives keys, and a key column the body names comes later in the list, so that SQLite takes its value as it would
     * from the statement as written. Where a column takes every rowid alias, the key column is named, last.
     *
     * @param insertable the table's insertable (non-generated) columns in order, the key among them
     */
    public static Optional<String> rewriteInTrigger(String statementSql, String keyColumn, List<String> insertable,
            String callPrefix, Set<String> rowidAliases) {
        InsertKeyRewrite r = new InsertKeyRewrite(statementSql, keyColumn, rowidAliases, callPrefix, insertable);
        int keyPosition = -1;
        for (int i = 0; i < insertable.size(); i++) {
            keyPosition = insertable.get(i).equalsIgnoreCase(keyColumn) ? i : keyPosition;
        }
        return keyPosition >= 0 && r.run(keyPosition, insertable.size()) ? Optional.of(r.apply()) : Optional.empty();
    }

    /**
     * The cheaper form for a prepared single-row INSERT that leaves the key out: the key column is appended to the
     * column list and {@code keyValue} to the row; {@code keyValue} holds one {@code ?}, which then comes after every
     * parameter of the application, for the driver to bind per execution ({@link ParameterBinder}). Empty unless the
     * statement has one {@code VALUES} row, a column list without the key, at least one parameter, only plain
     * {@code ?} parameters, and none after that row (an UPSERT's {@code DO UPDATE SET x = ?}).
     *
     * @return the rewritten statement; its last parameter is the one {@code keyValue} brought
     */
    public static Optional<String> rewriteWithAppendedParameter(String statementSql, String keyColumn,
            String keyValue, Set<String> rowidAliases) {
        InsertKeyRewrite r = new InsertKeyRewrite(statementSql, keyColumn, rowidAliases, "", null);
        return r.appendParameter(keyValue) ? Optional.of(r.apply()) : Optional.empty();
    }

    /** How many {@code ?} parameters the statement has, or -1 if it numbers or names any. */
    public static int parameterCount(String statementSql) {
        int parameters = 0;
        for (SqlToken t : SqlLexer.tokenize(statementSql)) {
            if (t.type() == SqlToken.Type.PARAMETER) {
                if (!t.text().equals("?")) {
                    return -1;
                }
                parameters++;
            }
        }
        return parameters;
    }

    private boolean appendParameter(String keyValue) {
        if (parameterCount(sql) < 1 || !intoTable() || !isSymbol(pos, '(')) { // ?NNN, :name number differently
            return false;
        }
        int listClose = matchingParen(pos);
        if (listClose < 0 || keyIndex(names(pos + 1, listClose)) >= 0) {
            return false;
        }
        pos = listClose + 1;
        if (!take("VALUES") || !isSymbol(pos, '(')) {
            return false;
        }
        int rowClose = matchingParen(pos);
        if (rowClose < 0) {
            return false;
        }
        for (int i = rowClose + 1; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isSymbol(',') && i == rowClose + 1 || t.type() == SqlToken.Type.PARAMETER) {
                return false; // a second row, or parameters after the row
            }
        }
        edits.add(new Edit(tokens.get(listClose).start(), tokens.get(listClose).start(),
                ", " + Identifiers.quote(keyColumn)));
        edits.add(new Edit(tokens.get(rowClose).start(), tokens.get(rowClose).start(), ", " + keyValue));
        return true;
    }

    private boolean run(int keyPosition, int insertableColumns) {
        if (!intoTable()) {
            return false;
        }
        List<String> columns = null;
        int listOpen = pos;
        int listClose = -1;
        if (isSymbol(pos, '(')) {
            listClose = matchingParen(pos);
            if (listClose < 0) {
                return false;
            }
            columns = names(pos + 1, listClose);
            pos = listClose + 1;
        }
        if (pos >= tokens.size()) {
            return false;
        }
        int keyIndex = columns == null ? keyPosition : keyIndex(columns);
        if (keyIndex < 0 && columns == null) {
            return false;
        }
        int columnCount = columns == null ? insertableColumns : columns.size();
        if (keyIndex < 0) {
            addKey(listOpen, listClose, keyName());
        }
        int sourceEnd = sourceEnd(pos);
        if (tokens.get(pos).isWord("DEFAULT") && pos + 1 < tokens.size() && tokens.get(pos + 1).isWord("VALUES")) {
            return columns == null && defaultValues();
        }
        boolean insertKey = columns == null && hiddenKey; // rows without the key, which goes in at keyIndex
        if (insertKey && inTrigger) { // the rows supply every column but the key, in order: listed, with the key
            int at = tokens.get(pos - 1).end();
            edits.add(new Edit(at, at, " " + triggerColumnList()));
            insertKey = false;
            keyIndex = -1;
        }
        if (tokens.get(pos).isWord("VALUES")) {
            return insertKey ? valuesWithoutKey(pos + 1, sourceEnd, keyIndex) : values(pos + 1, sourceEnd, keyIndex);
        }
        return insertKey ? selectWithoutKey(pos, sourceEnd, keyIndex, columnCount - 1)
                : select(pos, sourceEnd, keyIndex, columnCount);
    }

    /** Rows that leave the (hidden) key out: its allocation goes in before the item at {@code keyIndex}. */
    private boolean valuesWithoutKey(int from, int end, int keyIndex) {
        boolean anyRow = false;
        for (int i = from; i < end; i++) {
            if (!isSymbol(i, '(')) {
                continue;
            }
            int close = matchingParen(i);
            if (close < 0 || close >= end) {
                return false;
            }
            List<int[]> items = items(i + 1, close);
            if (keyIndex > items.size()) {
                return false;
            }
            if (keyIndex == items.size()) {
                edits.add(new Edit(tokens.get(close).start(), tokens.get(close).start(), ", " + call("NULL")));
            } else {
                edits.add(new Edit(items.get(keyIndex)[0], items.get(keyIndex)[0], call("NULL") + ", "));
            }
            anyRow = true;
            i = close;
        }
        return anyRow;
    }

    private boolean selectWithoutKey(int from, int end, int keyIndex, int columnCount) {
        if (columnCount < 1 || from >= end) {
            return false;
        }
        StringBuilder names = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int c = 1; c <= columnCount; c++) {
            names.append(c > 1 ? ", " : "").append("c").append(c);
        }
        for (int c = 0; c <= columnCount; c++) {
            items.append(c > 0 ? ", " : "");
            if (c == keyIndex) {
                items.append(call("NULL"));
            } else {
                items.append("c").append(c < keyIndex ? c + 1 : c);
            }
        }
        int start = tokens.get(from).start();
        int stop = tokens.get(end - 1).end();
        edits.add(new Edit(start, start, "WITH " + ROWS_CTE + "(" + names + ") AS ("));
        edits.add(new Edit(stop, stop, ") SELECT " + items + " FROM " + ROWS_CTE + " WHERE true"));
        return true;
    }

    private boolean defaultValues() {
        edits.add(new Edit(tokens.get(pos).start(), tokens.get(pos + 1).end(),
                "(" + keyName() + ") VALUES (" + call("NULL") + ")"));
        return true;
    }

    private boolean values(int from, int end, int keyIndex) {
        boolean anyRow = false;
        for (int i = from; i < end; i++) {
            if (!isSymbol(i, '(')) {
                continue; // the commas between rows
            }
            int close = matchingParen(i);
            if (close < 0 || close >= end) {
                return false;
            }
            if (keyIndex < 0) {
                addKey(i, close, call("NULL"));
            } else {
                List<int[]> items = items(i + 1, close);
                if (keyIndex >= items.size()) {
                    return false;
                }
                int[] item = items.get(keyIndex);
                edits.add(new Edit(item[0], item[1], call(sql.substring(item[0], item[1]))));
            }
            anyRow = true;
            i = close;
        }
        return anyRow;
    }

    private boolean select(int from, int end, int keyIndex, int columnCount) {
        if (columnCount < 1 || from >= end) {
            return false;
        }
        if (inTrigger) {
            return keyIndex < 0 && subquery(from, end, triggerRowid != null ? call("NULL") + ", *" : "*, " + call("NULL"));
        }
        int start = tokens.get(from).start();
        int stop = tokens.get(end - 1).end();
        StringBuilder names = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int c = 1; c <= columnCount; c++) {
            String name = "c" + c;
            names.append(c > 1 ? ", " : "").append(name);
            items.append(c > 1 ? ", " : "").append(c - 1 == keyIndex ? call(name) : name);
        }
        if (keyIndex < 0) {
            items.append(", ").append(call("NULL"));
        }
        edits.add(new Edit(start, start, "WITH " + ROWS_CTE + "(" + names + ") AS ("));
        edits.add(new Edit(stop, stop, ") SELECT " + items + " FROM " + ROWS_CTE + " WHERE true"));
        return true;
    }

    /** The select between two token indexes as the subquery of {@code SELECT <items> FROM (...) WHERE true}. */
    private boolean subquery(int from, int end, String items) {
        int start = tokens.get(from).start();
        int stop = tokens.get(end - 1).end();
        edits.add(new Edit(start, start, "SELECT " + items + " FROM ("));
        edits.add(new Edit(stop, stop, ") WHERE true"));
        return true;
    }

    /** How the statement names the key it adds: {@link #triggerRowid}, else the key column. */
    private String keyName() {
        return triggerRowid != null ? triggerRowid : Identifiers.quote(keyColumn);
    }

    /**
     * Adds {@code item} to the parenthesised list between two token indexes (a column list or a row): first where the
     * key is {@link #triggerRowid}, else last.
     */
    private void addKey(int open, int close, String item) {
        if (triggerRowid != null) {
            edits.add(new Edit(tokens.get(open).end(), tokens.get(open).end(), item + ", "));
        } else {
            edits.add(new Edit(tokens.get(close).start(), tokens.get(close).start(), ", " + item));
        }
    }

    /** In a trigger body, the table's columns but the key, with the key as {@link #addKey} adds it. */
    private String triggerColumnList() {
        StringBuilder list = new StringBuilder();
        for (String column : triggerColumns) {
            if (!column.equalsIgnoreCase(keyColumn)) {
                list.append(list.length() > 0 ? ", " : "").append(Identifiers.quote(column));
            }
        }
        return "(" + (triggerRowid != null ? triggerRowid + ", " + list : list + ", " + Identifiers.quote(keyColumn)) + ")";
    }

    private String call(String value) {
        return callPrefix + value + ")";
    }

    /** Where a column list names the key (by its name, or a rowid alias no column takes); -1 if it does not. */
    private int keyIndex(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.equalsIgnoreCase(keyColumn) || rowidAliases.contains(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }
}
