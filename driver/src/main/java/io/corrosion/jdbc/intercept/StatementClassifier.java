package io.corrosion.jdbc.intercept;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.util.TablesNamesFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SQL text into a {@link SqlPlan}: splits it into statements and classifies each by its keywords
 * ({@link KeywordClassifier}). Only a read that names something the driver owns (crsql_*) is parsed with JSqlParser,
 * for the tables it reads; a read JSqlParser rejects keeps its keyword plan, and the rejection is logged once at debug
 * (plans are cached, so once per SQL text). Nothing else is parsed here: a plan of an INSERT, UPDATE, DELETE or DDL
 * statement needs nothing the keywords do not tell, and JSqlParser's parse costs more than SQLite's compile of the
 * statement (~0.2 ms for a small UPDATE, half of a {@code Statement.executeUpdate} with its values in the SQL). A
 * hook that must look into a statement can parse a copy of its own ({@link Interceptor#parse}); the rewrites of today
 * work on SQLite's tokens.
 */
final class StatementClassifier {
    private static final Logger log = LoggerFactory.getLogger(StatementClassifier.class);

    private StatementClassifier() {}

    static SqlPlan plan(String sql) {
        List<String> texts = SqlSplitter.split(sql);
        List<StatementPlan> plans = new ArrayList<>(texts.size());
        for (String text : texts) {
            plans.add(classify(text));
        }
        return SqlPlan.of(sql, plans);
    }

    static StatementPlan classify(String statementSql) {
        StatementPlan plan = KeywordClassifier.classify(statementSql);
        if (plan.kind() != StatementKind.READ || !plan.mentionsInternal()) {
            return plan;
        }
        try {
            return plan.withTables(readTables(parse(statementSql)));
        } catch (Exception | StackOverflowError e) {
            log.debug("JSqlParser cannot parse, running it with its keyword plan {}: {} -- {}", plan.kind(),
                    statementSql, firstLine(e));
            return plan;
        }
    }

    /** A fresh JSqlParser statement for this text; the caller owns it and may change it. */
    static Statement parse(String statementSql) throws Exception {
        Statement parsed = CCJSqlParserUtil.newParser(statementSql).Statement();
        if (parsed == null || parsed instanceof UnsupportedStatement) {
            throw new IllegalArgumentException("not a statement JSqlParser supports");
        }
        return parsed;
    }

    private static List<String> readTables(Statement parsed) {
        List<String> names = new ArrayList<>();
        for (String name : new TablesNamesFinder<Void>().getTables(parsed)) {
            names.add(Identifiers.unquote(name.substring(name.lastIndexOf('.') + 1)));
        }
        names.sort(null);
        return names;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int eol = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (eol < 0 ? message : message.substring(0, eol));
    }
}
