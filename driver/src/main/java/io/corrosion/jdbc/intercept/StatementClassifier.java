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
 * Turns SQL text into a {@link SqlPlan}: splits it into statements, classifies each by its keywords, and parses with
 * JSqlParser those the CRR engine may need to look into (DML, DDL, anything naming crsql_*). Plain reads,
 * transaction control and pragmas are never parsed. A statement JSqlParser rejects still gets its keyword plan; the
 * rejection is logged once at debug (plans are cached, so once per SQL text).
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
        if (!worthParsing(plan)) {
            return plan;
        }
        try {
            Statement parsed = parse(statementSql);
            List<String> tables = plan.kind() == StatementKind.READ ? readTables(parsed) : plan.tables();
            return plan.withParse(tables, plan.insertColumns(), parsed);
        } catch (Exception | StackOverflowError e) {
            String problem = firstLine(e);
            log.debug("JSqlParser cannot parse, running it with its keyword plan {}: {} -- {}", plan.kind(),
                    statementSql, problem);
            return plan.withParseProblem(problem);
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

    private static boolean worthParsing(StatementPlan plan) {
        return switch (plan.kind()) {
            case TRANSACTION, PRAGMA -> false;
            case READ, OTHER -> plan.mentionsInternal();
            default -> true;
        };
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
