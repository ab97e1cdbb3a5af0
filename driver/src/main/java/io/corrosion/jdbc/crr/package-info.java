/**
 * The CRR engine: makes SQLite tables conflict-free replicated relations that merge exactly as
 * cr-sqlite (Corrosion's fork) does.
 *
 * <p>Entry point: {@link io.corrosion.jdbc.crr.CrrEngine#attach(org.sqlite.SQLiteConnection)} returns the
 * per-connection {@link io.corrosion.jdbc.crr.CrrSession}. Storage layout and capture mechanism are described
 * in {@code CrrLayout}.
 */
package io.corrosion.jdbc.crr;
