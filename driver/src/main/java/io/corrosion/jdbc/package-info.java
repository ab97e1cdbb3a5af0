/** The jdbc:corrosion: driver. */
package io.corrosion.jdbc;
