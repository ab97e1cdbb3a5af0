/**
 * Hand-written wrappers over sqlite-jdbc's Connection, Statement, PreparedStatement, ResultSet and DatabaseMetaData.
 * They intercept only what they must (SQL text, result sets' owner, metadata naming and hiding) and send every
 * error through {@link io.corrosion.jdbc.SqlErrors}; the rest is one-line delegation.
 */
package io.corrosion.jdbc.proxy;
