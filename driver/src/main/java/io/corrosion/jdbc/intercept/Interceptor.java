package io.corrosion.jdbc.intercept;

import java.util.List;
import net.sf.jsqlparser.statement.Statement;

/**
 * Classifies SQL text into cached {@link SqlPlan}s. Plans depend on the text alone, so one cache serves every
 * database in the JVM.
 */
public final class Interceptor {
    /** Distinct SQL strings kept; applications with bound parameters use far fewer. */
    public static final int DEFAULT_CACHE_SIZE = 4096;

    private static final Interceptor SHARED = new Interceptor(DEFAULT_CACHE_SIZE);

    private final PlanCache cache;

    public Interceptor(int cacheSize) {
        this.cache = new PlanCache(cacheSize, StatementClassifier::plan);
    }

    /** The JVM-wide interceptor the driver uses. */
    public static Interceptor shared() {
        return SHARED;
    }

    /** The plan of this SQL string: from the cache, or classified now and cached. */
    public SqlPlan plan(String sql) {
        return cache.get(sql);
    }

    /** Classifies without touching any cache. */
    public static SqlPlan classify(String sql) {
        return StatementClassifier.plan(sql);
    }

    /**
     * The statements of a string in order, each trimmed to its text, as {@link SqlPlan#statements()} holds them; for a
     * rewritten string, whose statements have no plan of their own.
     */
    public static List<String> split(String sql) {
        return SqlSplitter.split(sql);
    }

    /**
     * A private JSqlParser statement for one statement's text, for a hook that rewrites it.
     *
     * @throws Exception whatever JSqlParser throws when it cannot parse the text
     */
    public static Statement parse(String statementSql) throws Exception {
        return StatementClassifier.parse(statementSql);
    }

    int cachedPlans() {
        return cache.size();
    }

    boolean isCached(String sql) {
        return cache.contains(sql);
    }
}
