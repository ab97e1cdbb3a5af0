package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;

/** What {@code pragma_foreign_key_list} leaves out of a table's FOREIGN KEY clauses, read from its CREATE TABLE. */
public final class ForeignKeyClauses {
    private ForeignKeyClauses() {}

    /**
     * For each REFERENCES clause of {@code createTableSql}, in the order they are written: whether it is {@code
     * DEFERRABLE INITIALLY DEFERRED} (SQLite counts its violations until COMMIT; any other clause is immediate).
     * {@code pragma_foreign_key_list} numbers the same clauses the other way round: id 0 is the last one written.
     */
    public static List<Boolean> deferred(String createTableSql) {
        List<SqlToken> tokens = SqlLexer.tokenize(createTableSql);
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            if (t.isWord("REFERENCES")) {
                out.add(false);
            } else if (t.isWord("DEFERRABLE") && !out.isEmpty() && !tokens.get(i - 1).isWord("NOT")
                    && i + 2 < tokens.size() && tokens.get(i + 1).isWord("INITIALLY") && tokens.get(i + 2).isWord("DEFERRED")) {
                out.set(out.size() - 1, true);
            }
        }
        return out;
    }
}
