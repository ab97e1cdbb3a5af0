/**
 * The jdbc:corrosion: driver's JDBC face: {@link io.corrosion.jdbc.CorrosionDriver},
 * {@link io.corrosion.jdbc.CorrosionDataSource}, the configuration ({@link io.corrosion.jdbc.CorrosionProperty},
 * {@link io.corrosion.jdbc.CorrosionConfig}), the per-file {@link io.corrosion.jdbc.CorrosionDatabase} with its
 * {@link io.corrosion.jdbc.DatabaseExtension} seam, the SQLState funnel {@link io.corrosion.jdbc.SqlErrors} and the
 * internal-table naming rule {@link io.corrosion.jdbc.InternalTables}.
 */
package io.corrosion.jdbc;
