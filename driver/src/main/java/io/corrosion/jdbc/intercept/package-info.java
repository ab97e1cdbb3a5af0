/**
 * SQL classification: {@link io.corrosion.jdbc.intercept.Interceptor} turns SQL text into cached
 * {@link io.corrosion.jdbc.intercept.SqlPlan}s (keyword classifier in front of JSqlParser), and
 * {@link io.corrosion.jdbc.intercept.StatementHook} is where the CRR engine rewrites statements and works after them.
 */
package io.corrosion.jdbc.intercept;
