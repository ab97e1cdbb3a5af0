/**
 * SQL classification: {@link io.corrosion.jdbc.intercept.Interceptor} turns SQL text into cached
 * {@link io.corrosion.jdbc.intercept.SqlPlan}s (a keyword classifier; JSqlParser for the tables of reads that name the
 * driver's relations), and
 * {@link io.corrosion.jdbc.intercept.StatementHook} is where the CRR engine rewrites statements and works after them
 * ({@link io.corrosion.jdbc.intercept.ParameterBinder} for parameters a rewrite appends to a prepared statement).
 *
 * <p>Token-level rewrites the key allocator uses: {@link io.corrosion.jdbc.intercept.InsertKeyRewrite} (an INSERT's key
 * through the allocator), {@link io.corrosion.jdbc.intercept.RowidKeyDdl} with
 * {@link io.corrosion.jdbc.intercept.CreateTableShape} (single integer keys become rowid aliases) and
 * {@link io.corrosion.jdbc.intercept.GeneratorStatements} (Hibernate's id-generator statements).
 */
package io.corrosion.jdbc.intercept;
