package io.corrosion.jdbc.intercept;

import java.util.List;
import java.util.Optional;

/** SQLite's {@code VACUUM [schema] INTO <file>}, read from its tokens (comments anywhere, any quoting of the schema). */
public final class VacuumInto {
    /** What a statement is, as far as copying the database goes. */
    public enum Kind {
        /** Not a {@code VACUUM ... INTO}. */
        NONE,
        /** {@code VACUUM [schema] INTO '<file>'}: the file name is known. */
        LITERAL,
        /** A {@code VACUUM ... INTO} whose file is a bound parameter or an expression: which file it writes is not. */
        EXPRESSION
    }

    private VacuumInto() {}

    public static Kind kind(String statementSql) {
        List<SqlToken> t = SqlLexer.tokenize(statementSql);
        if (t.isEmpty() || !t.get(0).isWord("VACUUM")) {
            return Kind.NONE;
        }
        for (SqlToken token : t) {
            if (token.isWord("INTO")) {
                return fileName(statementSql).isPresent() ? Kind.LITERAL : Kind.EXPRESSION;
            }
        }
        return Kind.NONE;
    }

    /** The file name of {@code VACUUM [schema] INTO '<file>' [;]}, unquoted; empty for any other statement. */
    public static Optional<String> fileName(String statementSql) {
        List<SqlToken> t = SqlLexer.tokenize(statementSql);
        int i = 1;
        if (t.isEmpty() || !t.get(0).isWord("VACUUM")) {
            return Optional.empty();
        }
        if (i < t.size() && t.get(i).isName() && !t.get(i).isWord("INTO")) {
            i++; // the schema: a word, a quoted identifier or a string
        }
        if (i + 1 >= t.size() || !t.get(i).isWord("INTO") || t.get(i + 1).type() != SqlToken.Type.STRING
                || t.get(i + 1).text().regionMatches(true, 0, "X'", 0, 2)) {
            return Optional.empty();
        }
        int end = i + 2;
        if (end < t.size() && t.get(end).isSymbol(';')) {
            end++;
        }
        return end == t.size() ? Optional.of(t.get(i + 1).name(statementSql)) : Optional.empty();
    }
}
