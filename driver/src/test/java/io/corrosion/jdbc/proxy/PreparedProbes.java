package io.corrosion.jdbc.proxy;

import static io.corrosion.jdbc.proxy.ConnectionProbes.each;
import static io.corrosion.jdbc.proxy.ConnectionProbes.rows;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** PreparedStatement and ResultSet calls of the differential test ({@link JdbcDifferentialTest}). */
final class PreparedProbes {
    private PreparedProbes() {}

    /** Inserts {@code value} with {@code setObject} into w's row {@code id}, reads back its storage and text. */
    private static Object stored(Connection c, int id, Object value, Integer sqlType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)")) {
            ps.setInt(1, id);
            if (sqlType == null) {
                ps.setObject(2, value);
            } else {
                ps.setObject(2, value, sqlType);
            }
            ps.executeUpdate();
        }
        return rows(c, "SELECT typeof(v), v FROM w WHERE id = " + id);
    }

    private static String parameters(ParameterMetaData md) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getParameterCount(); i++) {
            out.add(md.getParameterType(i) + "/" + md.getParameterTypeName(i) + "/" + md.isNullable(i) + "/"
                    + md.getParameterClassName(i) + "/" + md.getParameterMode(i) + "/" + md.getPrecision(i));
        }
        return md.getParameterCount() + " " + out;
    }

    static String columns(ResultSetMetaData md) throws SQLException {
        if (md == null) {
            return "no metadata";
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i) + "|" + md.getColumnName(i) + "|" + md.getTableName(i) + "|"
                    + md.getColumnType(i) + "|" + md.getColumnTypeName(i) + "|" + md.getColumnClassName(i) + "|"
                    + md.isNullable(i) + "|" + md.isAutoIncrement(i) + "|" + md.getPrecision(i) + "|"
                    + md.getScale(i) + "|" + md.isReadOnly(i) + "|" + md.isSigned(i) + "|" + md.getSchemaName(i)
                    + "|" + md.getCatalogName(i) + "|" + md.getColumnDisplaySize(i) + "|" + md.isCaseSensitive(i));
        }
        return out.toString();
    }

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("metaDataBeforeExecution", c -> each(c,
                x -> columns(x.prepareStatement("SELECT id, name AS label, n * 2, count(*) OVER () FROM t").getMetaData()),
                x -> columns(x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)").getMetaData()),
                x -> columns(x.prepareStatement("UPDATE w SET v = ? WHERE id = ?").getMetaData()),
                x -> columns(x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?) RETURNING id, v").getMetaData()),
                x -> columns(x.prepareStatement("SELECT * FROM t WHERE id = ?").getMetaData())));
        p.put("parameterMetaData", c -> each(c,
                x -> parameters(x.prepareStatement("SELECT id FROM t WHERE id = ? AND name = ?").getParameterMetaData()),
                x -> parameters(x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)").getParameterMetaData()),
                x -> parameters(x.prepareStatement("INSERT INTO w (v) VALUES (?)").getParameterMetaData()),
                x -> parameters(x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?), (?, ?)").getParameterMetaData()),
                x -> parameters(x.prepareStatement("UPDATE w SET v = ? WHERE id = ?").getParameterMetaData()),
                x -> parameters(x.prepareStatement("INSERT INTO w VALUES (?, ?)").getParameterMetaData()),
                x -> parameters(x.prepareStatement("SELECT 1").getParameterMetaData())));
        p.put("javaTimeParameters", c -> each(c,
                x -> stored(x, 100, LocalDate.of(2024, 2, 29), null),
                x -> stored(x, 101, LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_000_000), null),
                x -> stored(x, 102, LocalTime.of(13, 14, 15), null),
                x -> stored(x, 103, Instant.ofEpochMilli(1_700_000_000_123L), null),
                x -> stored(x, 104, OffsetDateTime.of(2024, 2, 29, 13, 14, 15, 0, ZoneOffset.ofHours(2)), null),
                x -> stored(x, 105, LocalDate.of(2024, 2, 29), Types.DATE),
                x -> stored(x, 106, LocalDateTime.of(2024, 2, 29, 13, 14, 15), Types.TIMESTAMP),
                x -> stored(x, 107, new BigDecimal("12.50"), null),
                x -> stored(x, 108, UUID.fromString("00000000-0000-0000-0000-000000000001"), null),
                x -> stored(x, 109, true, null),
                x -> stored(x, 110, 'c', null),
                x -> stored(x, 111, "12", Types.INTEGER),
                x -> stored(x, 112, java.sql.Date.valueOf("2024-02-29"), null),
                x -> stored(x, 113, new java.util.Date(1_700_000_000_000L), null),
                x -> stored(x, 114, (short) 3, Types.SMALLINT),
                x -> stored(x, 115, 1.25f, null)));
        p.put("nulls", c -> each(c, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)")) {
                int id = 120;
                for (int type : new int[] {Types.INTEGER, Types.VARCHAR, Types.BLOB, Types.TIMESTAMP, Types.NULL,
                    Types.OTHER}) {
                    ps.setInt(1, id++);
                    ps.setNull(2, type);
                    ps.executeUpdate();
                }
                ps.setInt(1, id++);
                ps.setObject(2, null);
                ps.executeUpdate();
                ps.setInt(1, id);
                ps.setNull(2, Types.VARCHAR, "TEXT");
                ps.executeUpdate();
            }
            return rows(x, "SELECT id, typeof(v) FROM w WHERE id BETWEEN 120 AND 129");
        }));
        p.put("bytesAndStreams", c -> each(c, x -> {
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)")) {
                ps.setInt(1, 130);
                ps.setBytes(2, new byte[] {1, 2, 3});
                ps.executeUpdate();
                ps.setInt(1, 131);
                ps.setBinaryStream(2, new ByteArrayInputStream(new byte[] {4, 5}), 2);
                ps.executeUpdate();
                ps.setInt(1, 132);
                ps.setBinaryStream(2, new ByteArrayInputStream(new byte[] {6, 7, 8}));
                ps.executeUpdate();
                ps.setInt(1, 133);
                ps.setBytes(2, new byte[0]);
                ps.executeUpdate();
                ps.setInt(1, 134);
                ps.setCharacterStream(2, new java.io.StringReader("chars"));
                ps.executeUpdate();
                ps.setInt(1, 135);
                ps.setBytes(2, null);
                ps.executeUpdate();
            }
            return rows(x, "SELECT id, typeof(v), hex(v) FROM w WHERE id BETWEEN 130 AND 139");
        }, x -> {
            ResultSet rs = x.createStatement().executeQuery("SELECT v FROM w WHERE id = 130");
            rs.next();
            return List.of(rs.getBytes(1), rs.getBinaryStream(1).readAllBytes(), rs.getBlob(1) == null);
        }));
        p.put("clearParametersAndReuse", c -> each(c, x -> {
            PreparedStatement ps = x.prepareStatement("INSERT INTO w (id, v) VALUES (?, ?)");
            ps.setInt(1, 140);
            ps.setString(2, "a");
            int first = ps.executeUpdate();
            ps.setInt(1, 141);
            int second = ps.executeUpdate(); // the second parameter stays bound
            ps.clearParameters();
            ps.setInt(1, 142);
            Exception unbound = StatementProbes.threw(ps::executeUpdate); // the second parameter is NULL now
            ps.setInt(1, 143);
            ps.setString(2, "c");
            return List.of(first, second, Differential.thrown(unbound), ps.executeUpdate(),
                    rows(x, "SELECT id, v FROM w WHERE id BETWEEN 140 AND 149"));
        }, x -> {
            PreparedStatement ps = x.prepareStatement("SELECT id FROM t WHERE id = ?");
            List<Object> out = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                ps.setInt(1, id);
                out.add(Differential.render(ps.executeQuery()));
            }
            ps.setInt(1, 1);
            ResultSet open = ps.executeQuery();
            ps.setInt(1, 2);
            ResultSet next = ps.executeQuery();
            out.add(open.isClosed());
            out.add(Differential.render(next));
            return out;
        }, x -> {
            PreparedStatement ps = x.prepareStatement("SELECT ?");
            return List.of(Differential.thrown(StatementProbes.threw(() -> { ps.setInt(2, 1); return null; })),
                    Differential.thrown(StatementProbes.threw(() -> { ps.setInt(0, 1); return null; })));
        }, x -> {
            PreparedStatement ps = x.prepareStatement("SELECT 1");
            return List.of(Differential.thrown(StatementProbes.threw(() -> ps.executeQuery("SELECT 2"))),
                    Differential.thrown(StatementProbes.threw(() -> { ps.addBatch("SELECT 2"); return null; })));
        }));
        p.put("preparedBeforeDdl", c -> each(c, x -> {
            x.createStatement().executeUpdate("CREATE TABLE IF NOT EXISTS ddl (id INTEGER PRIMARY KEY, a TEXT)");
            x.createStatement().executeUpdate("INSERT INTO ddl (id, a) VALUES (1, 'a')");
            PreparedStatement select = x.prepareStatement("SELECT * FROM ddl");
            PreparedStatement insert = x.prepareStatement("INSERT INTO ddl (id, a) VALUES (?, ?)");
            PreparedStatement insertAll = x.prepareStatement("INSERT INTO ddl VALUES (?, ?)");
            String before = columns(select.getMetaData());
            x.createStatement().executeUpdate("ALTER TABLE ddl ADD COLUMN b TEXT DEFAULT 'z'");
            insert.setInt(1, 2);
            insert.setString(2, "b");
            int inserted = insert.executeUpdate();
            insertAll.setInt(1, 3);
            insertAll.setString(2, "c");
            String all = Differential.thrown(StatementProbes.threw(insertAll::executeUpdate));
            return List.of(before, columns(select.getMetaData()), select.executeQuery(), inserted, all,
                    rows(x, "SELECT * FROM ddl ORDER BY id"));
        }, x -> {
            PreparedStatement select = x.prepareStatement("SELECT a FROM ddl ORDER BY id");
            x.createStatement().executeUpdate("DROP TABLE ddl");
            return select.executeQuery();
        }));
        p.putAll(ResultSetProbes.probes());
        p.putAll(ReusedStatementProbes.probes());
        return p;
    }

    /** ResultSet calls. */
    static final class ResultSetProbes {
        private ResultSetProbes() {}

        private static ResultSet row(Connection c, int id) throws SQLException {
            ResultSet rs = c.createStatement().executeQuery("SELECT id, name, n, r, b, d FROM t WHERE id = " + id);
            rs.next();
            return rs;
        }

        static Map<String, Probe> probes() {
            Map<String, Probe> p = new LinkedHashMap<>();
            Class<?>[] classes = {String.class, Integer.class, Long.class, Short.class, Byte.class, Double.class,
                Float.class, BigDecimal.class, Boolean.class, byte[].class, java.sql.Date.class, java.sql.Time.class,
                java.sql.Timestamp.class, LocalDate.class, LocalDateTime.class, LocalTime.class, OffsetDateTime.class,
                Instant.class, java.util.Date.class, Object.class, java.sql.Blob.class, UUID.class};
            for (int id = 1; id <= 3; id++) {
                int rowId = id;
                p.put("getObjectByClass" + id, c -> {
                    ResultSet rs = row(c, rowId);
                    List<String> out = new ArrayList<>();
                    for (int col = 1; col <= 6; col++) {
                        for (Class<?> type : classes) {
                            int i = col;
                            out.add(col + ":" + type.getSimpleName() + "="
                                    + Differential.attempt(() -> rs.getObject(i, type)));
                        }
                    }
                    return out;
                });
            }
            p.put("gettersAndWasNull", c -> each(c, x -> {
                ResultSet rs = row(x, 2);
                List<Object> out = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    out.add(rs.getString(i));
                    out.add(rs.wasNull());
                    out.add(rs.getInt(i));
                    out.add(rs.wasNull());
                    out.add(Differential.thrown(StatementProbes.threw(() -> rs.getDate(1))));
                }
                return out;
            }, x -> {
                ResultSet rs = row(x, 1);
                return List.of(rs.getInt("N"), rs.getString("NAME"), rs.getDouble("r"), rs.getLong(1),
                        rs.getBoolean(3), rs.getBigDecimal(4), rs.getFloat(4), rs.getShort(3), rs.getByte(3),
                        rs.getInt(2) + "", rs.getString(5), Differential.thrown(StatementProbes.threw(
                                () -> rs.getDate(6))), Differential.thrown(StatementProbes.threw(
                                () -> rs.getTimestamp(6))));
            }, x -> {
                ResultSet rs = row(x, 1);
                return List.of(rs.findColumn("NAME"), rs.findColumn("name"), rs.findColumn("Id"),
                        Differential.thrown(StatementProbes.threw(() -> rs.findColumn("nope"))),
                        Differential.thrown(StatementProbes.threw(() -> rs.getString(7))),
                        Differential.thrown(StatementProbes.threw(() -> rs.getString(0))));
            }));
            p.put("resultSetLifecycle", c -> each(c, x -> {
                Statement s = x.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM t");
                boolean same = rs.getStatement() == s;
                s.close();
                return List.of(same, rs.isClosed(), Differential.thrown(StatementProbes.threw(rs::next)));
            }, x -> {
                PreparedStatement s = x.prepareStatement("SELECT id FROM t");
                ResultSet rs = s.executeQuery();
                return List.of(rs.getStatement() == s, rs.getType(), rs.getConcurrency(), rs.getHoldability(),
                        rs.getRow(), rs.isBeforeFirst(), rs.next(), rs.getRow(), rs.isFirst());
            }, x -> {
                ResultSet rs = x.createStatement().executeQuery("SELECT id FROM t WHERE id = 1");
                return List.of(rs.next(), rs.next(), rs.isAfterLast(), rs.next(),
                        Differential.thrown(StatementProbes.threw(() -> rs.getInt(1))), rs.isClosed());
            }, x -> {
                ResultSet rs = x.createStatement().executeQuery("SELECT id FROM t WHERE id < 0");
                return List.of(rs.isBeforeFirst(), rs.next(), rs.isAfterLast(),
                        Differential.thrown(StatementProbes.threw(() -> rs.getInt(1))),
                        Differential.thrown(StatementProbes.threw(() -> rs.getMetaData().getColumnCount())));
            }, x -> {
                ResultSet rs = x.createStatement().executeQuery("SELECT id FROM t");
                rs.close();
                rs.close();
                return List.of(rs.isClosed(), Differential.thrown(StatementProbes.threw(rs::next)),
                        Differential.thrown(StatementProbes.threw(rs::getMetaData)),
                        Differential.thrown(StatementProbes.threw(() -> rs.getInt(1))));
            }, x -> {
                ResultSet rs = x.createStatement().executeQuery("SELECT id FROM t");
                return List.of(Differential.thrown(StatementProbes.threw(rs::first)),
                        Differential.thrown(StatementProbes.threw(rs::previous)),
                        Differential.thrown(StatementProbes.threw(() -> { rs.updateInt(1, 3); return null; })),
                        rs.isWrapperFor(ResultSet.class), rs.unwrap(ResultSet.class) != null);
            }));
            p.put("intOutOfRange", c -> each(c, x -> {
                ResultSet rs = x.createStatement().executeQuery("SELECT 3000000000");
                rs.next();
                return List.of(Differential.attempt(() -> rs.getInt(1)),
                        Differential.attempt(() -> rs.getObject(1, Integer.class)), rs.getLong(1));
            }));
            p.put("pragmaTableInfoMetaData", c -> columns(c.createStatement().executeQuery("PRAGMA table_info(t)")
                    .getMetaData()));
            p.put("expressionMetaData", c -> each(c,
                    x -> columns(x.createStatement().executeQuery("SELECT 1 + 1, count(*), max(n), id AS \"X\", "
                            + "n * 2 AS dbl, typeof(b), 'a' || name, CAST(r AS TEXT), NULL, 1.5, x'00', "
                            + "t.name, k.label FROM t LEFT JOIN kid k ON k.t_id = t.id GROUP BY t.id").getMetaData()),
                    x -> columns(x.createStatement().executeQuery("SELECT * FROM t").getMetaData()),
                    x -> columns(x.createStatement().executeQuery("SELECT * FROM kid").getMetaData()),
                    x -> columns(x.createStatement().executeQuery("SELECT rowid, _rowid_, * FROM w WHERE 0")
                            .getMetaData()),
                    x -> columns(x.createStatement().executeQuery("SELECT id FROM t WHERE 0").getMetaData()),
                    x -> rows(x, "PRAGMA table_info(t)"),
                    x -> rows(x, "PRAGMA table_info(w)"),
                    x -> rows(x, "SELECT last_insert_rowid() >= 0, changes() >= 0")));
            return p;
        }
    }
}
