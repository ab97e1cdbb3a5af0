package io.corrosion.jdbc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlanCacheTest {

    @Test
    void secondLookupOfTheSameTextIsAHitWithTheSamePlan() {
        AtomicInteger planned = new AtomicInteger();
        PlanCache cache = new PlanCache(10, sql -> {
            planned.incrementAndGet();
            return StatementClassifier.plan(sql);
        });
        SqlPlan first = cache.get("insert into t (a) values (?)");
        SqlPlan second = cache.get(new String("insert into t (a) values (?)"));
        assertThat(second).isSameAs(first);
        assertThat(planned).hasValue(1);
    }

    @Test
    void staysBoundedAndEvictsTheLeastRecentlyUsed() {
        PlanCache cache = new PlanCache(100, StatementClassifier::plan);
        cache.get("select 0");
        for (int i = 1; i < 1000; i++) {
            cache.get("select " + i);
            cache.get("select 0"); // keep using it: it must survive
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.contains("select 0")).isTrue();
        assertThat(cache.contains("select 1")).isFalse();
        assertThat(cache.contains("select 999")).isTrue();
    }

    @Test
    void sharedInterceptorCachesByText() {
        Interceptor interceptor = new Interceptor(16);
        SqlPlan p = interceptor.plan("update t set a = 1");
        assertThat(interceptor.isCached("update t set a = 1")).isTrue();
        assertThat(interceptor.plan("update t set a = 1")).isSameAs(p);
        assertThat(interceptor.cachedPlans()).isEqualTo(1);
    }
}
