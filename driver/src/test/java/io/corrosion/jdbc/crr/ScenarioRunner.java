package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.intercept.Interceptor;
import io.corrosion.jdbc.intercept.StatementPlan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sqlite.SQLiteConnection;

/**
 * Runs the crsqlite-oracle's JSON scenarios (shared/crsqlite-oracle/oracle.mjs) against this engine and prints
 * the same JSON, so the real extension's recorded outputs can be compared with ours. Each node is a real
 * sqlite-jdbc file in WAL mode: a raw connection with the engine attached, or ({@link Access#DRIVER}) a
 * {@code jdbc:corrosion:} connection, through which SQL ops, reads and merges then all go.
 */
final class ScenarioRunner implements AutoCloseable {
    /** How sync ops deliver changes: through SQL ({@code INSERT INTO crsql_changes}) or the Java API. */
    enum Delivery { SQL, API }

    /** How nodes are reached: the engine on raw sqlite-jdbc connections, or the jdbc:corrosion: driver. */
    enum Access { ENGINE, DRIVER }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final JsonNode cfg;
    private final Path dir;
    private final Delivery delivery;
    private final Access access;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> watermarks = new HashMap<>();
    private final ArrayNode log = F.arrayNode();
    private final ArrayNode queries = F.arrayNode();

    /**
     * One node: a raw connection with its session (engine access) or a driver connection (session null).
     */
    private record Node(String name, Connection conn, CrrSession session, String site) {
        CorrosionConnection driver() throws SQLException {
            return conn.unwrap(CorrosionConnection.class);
        }

        /** Runs a script of statements, stopping at the first that fails (as sqlite3_exec does). */
        void exec(String sql) throws SQLException {
            if (session != null) {
                ((SQLiteConnection) conn).getDatabase()._exec(sql);
                return;
            }
            try (Statement st = conn.createStatement()) {
                for (StatementPlan statement : Interceptor.classify(sql).statements()) {
                    st.execute(statement.sql());
                }
            }
        }

        List<String> crrTables() throws SQLException {
            return session != null ? session.crrTables() : driver().replicatedTables();
        }

        long apply(List<Change> rows) throws SQLException {
            return session != null ? session.apply(rows) : driver().applyChanges(rows);
        }
    }

    ScenarioRunner(JsonNode scenario, Path dir, Delivery delivery, Access access) {
        this.cfg = scenario.isArray() ? F.objectNode().set("ops", scenario) : scenario;
        this.dir = dir;
        this.delivery = delivery;
        this.access = access;
    }

    static ObjectNode run(JsonNode scenario, Path dir, Delivery delivery) throws Exception {
        return run(scenario, dir, delivery, Access.ENGINE);
    }

    static ObjectNode run(JsonNode scenario, Path dir, Delivery delivery, Access access) throws Exception {
        try (ScenarioRunner r = new ScenarioRunner(scenario, dir, delivery, access)) {
            return r.run();
        }
    }

    ObjectNode run() throws Exception {
        JsonNode ops = cfg.get("ops");
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            try {
                if (op.has("sync")) {
                    sync(i, op);
                } else if (op.has("apply")) {
                    Node b = node(op.get("node").asText());
                    List<Change> rows = new ArrayList<>();
                    for (JsonNode c : op.get("apply")) {
                        rows.add(new Change(c.get("table").asText(), HEX.parseHex(c.get("pk").asText()), c.get("cid").asText(),
                                decode(c.get("val")), c.get("col_version").asLong(), c.get("db_version").asLong(),
                                HEX.parseHex(c.get("site_id").asText()), c.get("cl").asLong(),
                                c.has("seq") ? c.get("seq").asLong() : 0, c.has("ts") ? c.get("ts").asText() : "0"));
                    }
                    long impacted = deliver(b, rows);
                    log.add(F.objectNode().put("op", i).put("apply", op.get("node").asText()).put("sent", rows.size())
                            .put("rows_impacted", impacted));
                } else if (op.has("query")) {
                    Node n = node(op.get("node").asText());
                    ArrayNode rows = F.arrayNode();
                    try (PreparedStatement p = n.conn.prepareStatement(op.get("query").asText())) {
                        JsonNode params = op.get("params");
                        for (int k = 0; params != null && k < params.size(); k++) {
                            p.setObject(k + 1, decode(params.get(k)));
                        }
                        try (ResultSet rs = p.executeQuery()) {
                            ResultSetMetaData md = rs.getMetaData();
                            while (rs.next()) {
                                ObjectNode row = F.objectNode();
                                for (int c = 1; c <= md.getColumnCount(); c++) {
                                    row.set(md.getColumnLabel(c), encode(SqlValues.normalize(rs.getObject(c))));
                                }
                                rows.add(row);
                            }
                        }
                    }
                    queries.add(F.objectNode().put("op", i).put("node", op.get("node").asText()).set("rows", rows));
                } else if (op.has("sql")) {
                    node(op.get("node").asText()).exec(op.get("sql").asText());
                } else {
                    throw new IllegalArgumentException("unknown op " + op);
                }
            } catch (SQLException e) {
                log.add(F.objectNode().put("op", i).put("error", String.valueOf(e.getMessage())));
            }
        }
        ObjectNode out = F.objectNode();
        out.set("log", log);
        out.set("queries", queries);
        ObjectNode dump = F.objectNode();
        for (String name : new java.util.TreeSet<>(nodes.keySet())) {
            dump.set(name, dump(nodes.get(name)));
        }
        out.set("nodes", dump);
        return out;
    }

    private Node node(String name) throws SQLException {
        Node n = nodes.get(name);
        if (n != null) {
            return n;
        }
        String site = cfg.has("nodes") && cfg.get("nodes").has(name) ? cfg.get("nodes").get(name).asText().toUpperCase()
                : String.format("%02X", nodes.size() + 1).repeat(16);
        SQLiteConnection raw = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".db"));
        try (Statement s = raw.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            // A deterministic site id: the engine keeps an existing ordinal-0 row.
            s.execute("CREATE TABLE crsql_site_id (site_id BLOB NOT NULL, ordinal INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO crsql_site_id VALUES (x'" + site + "', 0)");
        }
        if (access == Access.ENGINE) {
            n = new Node(name, raw, CrrEngine.attach(raw), site);
        } else {
            raw.close();
            n = new Node(name, DriverManager.getConnection("jdbc:corrosion:" + dir.resolve(name + ".db")), null, site);
        }
        nodes.put(name, n);
        if (cfg.has("schema")) {
            n.exec(cfg.get("schema").asText());
        }
        return n;
    }

    private void sync(int i, JsonNode op) throws SQLException {
        String from = op.get("sync").get(0).asText();
        String to = op.get("sync").get(1).asText();
        Node a = node(from);
        Node b = node(to);
        Map<String, Long> wm = watermarks.computeIfAbsent(from + "->" + to, k -> new HashMap<>());
        String where = op.has("where") ? "WHERE " + op.get("where").asText() : "";
        boolean incremental = !op.has("mode") || op.get("mode").asText().equals("incremental");
        List<Change> rows = new ArrayList<>();
        for (Change c : read(a.conn, where, "db_version, seq, \"table\", pk, cid")) {
            String s = HEX.formatHex(c.siteId());
            if (s.equals(b.site) || (incremental && c.dbVersion() <= wm.getOrDefault(s, -1L))) {
                continue;
            }
            rows.add(c);
        }
        for (Change c : rows) {
            wm.merge(HEX.formatHex(c.siteId()), c.dbVersion(), Math::max);
        }
        long impacted = rows.isEmpty() ? 0 : deliver(b, rows);
        ArrayNode pair = F.arrayNode().add(from).add(to);
        log.add(F.objectNode().put("op", i).<ObjectNode>set("sync", pair).put("sent", rows.size()).put("rows_impacted", impacted));
    }

    /** Merges the rows in one transaction on the node and returns crsql_rows_impacted() as seen before commit. */
    private long deliver(Node b, List<Change> rows) throws SQLException {
        Connection c = b.conn;
        c.setAutoCommit(false);
        try {
            if (delivery == Delivery.API) {
                b.apply(rows);
            } else {
                try (PreparedStatement p = c.prepareStatement(Change.INSERT_SQL)) {
                    for (Change r : rows) {
                        r.bind(p);
                        p.executeUpdate();
                    }
                }
            }
            long impacted;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT crsql_rows_impacted()")) {
                rs.next();
                impacted = rs.getLong(1);
            }
            c.commit();
            return impacted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static List<Change> read(Connection c, String where, String order) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"table\", pk, cid, val, col_version, db_version, site_id, cl, seq, ts"
                     + " FROM crsql_changes " + where + " ORDER BY " + order)) {
            while (rs.next()) {
                out.add(new Change(rs.getString(1), rs.getBytes(2), rs.getString(3), SqlValues.normalize(rs.getObject(4)),
                        rs.getLong(5), rs.getLong(6), rs.getBytes(7), rs.getLong(8), rs.getLong(9), rs.getString(10)));
            }
        }
        return out;
    }

    private ObjectNode dump(Node n) throws SQLException {
        ObjectNode out = F.objectNode();
        out.put("site_id", n.site);
        try (Statement s = n.conn.createStatement(); ResultSet rs = s.executeQuery("SELECT crsql_db_version()")) {
            rs.next();
            out.put("db_version", rs.getLong(1));
        }
        ObjectNode tables = F.objectNode();
        for (String t : new java.util.TreeSet<>(n.crrTables())) {
            ArrayNode cols = F.arrayNode();
            TreeMap<Integer, String> pkColumns = new TreeMap<>(); // by position in the key
            try (Statement s = n.conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, pk FROM pragma_table_info(" + Sql.literal(t) + ") ORDER BY cid")) {
                while (rs.next()) {
                    cols.add(rs.getString(1));
                    if (rs.getInt(2) > 0) {
                        pkColumns.put(rs.getInt(2), rs.getString(1));
                    }
                }
            }
            List<String> pks = new ArrayList<>(pkColumns.values());
            ArrayNode rows = F.arrayNode();
            try (Statement s = n.conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + Sql.idents(colNames(cols), "") + " FROM " + Sql.ident(t)
                         + " ORDER BY " + Sql.idents(pks, ""))) {
                while (rs.next()) {
                    ArrayNode row = F.arrayNode();
                    for (int c = 1; c <= cols.size(); c++) {
                        row.add(encode(SqlValues.normalize(rs.getObject(c))));
                    }
                    rows.add(row);
                }
            }
            tables.set(t, F.objectNode().<ObjectNode>set("columns", cols).set("rows", rows));
        }
        out.set("tables", tables);
        ArrayNode changes = F.arrayNode();
        for (Change c : read(n.conn, "", "\"table\", pk, cid")) {
            ObjectNode o = F.objectNode();
            o.put("table", c.table());
            o.put("pk", HEX.formatHex(c.pk()));
            ArrayNode pkValues = F.arrayNode();
            for (Object v : PackedColumns.unpack(c.pk())) {
                pkValues.add(encode(v));
            }
            o.set("pk_values", pkValues);
            o.put("cid", c.cid());
            o.set("val", encode(c.val()));
            o.put("val_type", new String[] {"", "integer", "real", "text", "blob", "null"}[SqlValues.typeCode(c.val())]);
            o.put("col_version", c.colVersion());
            o.put("db_version", c.dbVersion());
            o.put("site_id", HEX.formatHex(c.siteId()));
            o.put("cl", c.cl());
            o.put("seq", c.seq());
            o.put("ts", c.ts());
            changes.add(o);
        }
        out.set("changes", changes);
        ArrayNode dbVersions = F.arrayNode();
        try (Statement s = n.conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT hex(site_id), db_version FROM crsql_db_versions ORDER BY site_id")) {
            while (rs.next()) {
                dbVersions.add(F.objectNode().put("site_id", rs.getString(1)).put("db_version", rs.getLong(2)));
            }
        }
        out.set("db_versions", dbVersions);
        return out;
    }

    private static List<String> colNames(ArrayNode cols) {
        List<String> out = new ArrayList<>();
        cols.forEach(c -> out.add(c.asText()));
        return out;
    }

    static Object decode(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        } else if (v.isIntegralNumber()) {
            return v.asLong();
        } else if (v.isTextual()) {
            return v.asText();
        } else if (v.has("real")) {
            return v.get("real").asDouble();
        } else if (v.has("blob")) {
            return HEX.parseHex(v.get("blob").asText());
        } else if (v.has("int")) {
            return Long.parseLong(v.get("int").asText());
        }
        throw new IllegalArgumentException("bad value " + v);
    }

    static JsonNode encode(Object v) {
        if (v == null) {
            return F.nullNode();
        } else if (v instanceof Long l) {
            return Math.abs(l) <= 9007199254740991L ? F.numberNode(l) : F.objectNode().put("int", l.toString());
        } else if (v instanceof Double d) {
            return F.objectNode().put("real", d);
        } else if (v instanceof byte[] b) {
            return F.objectNode().put("blob", HEX.formatHex(b));
        }
        return F.textNode((String) v);
    }

    /**
     * A comparable form of an oracle output: numbers canonical, error texts reduced to "error" (ours name the
     * rule differently), and cr-sqlite's internal clock dumps dropped (our storage differs by design), as is a
     * departure's explanation.
     */
    static Object canonical(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                switch (e.getKey()) {
                    case "extension", "clock", "site_ordinals", "departs" -> { }
                    case "error" -> m.put("error", "error");
                    default -> m.put(e.getKey(), canonical(e.getValue()));
                }
            }
            return m;
        } else if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(canonical(x)));
            return l;
        } else if (n.isNumber()) {
            return new BigDecimal(n.asText()).stripTrailingZeros().toPlainString();
        } else if (n.isNull()) {
            return "null";
        }
        return n.asText();
    }

    static JsonNode readJson(Path p) throws java.io.IOException {
        return JSON.readTree(Files.readString(p));
    }

    @Override
    public void close() throws SQLException {
        for (Node n : nodes.values()) {
            if (n.session != null) {
                n.session.close();
            }
            n.conn.close();
        }
        if (access == Access.DRIVER) {
            for (Node n : nodes.values()) {
                CorrosionDriver.shutdown(dir.resolve(n.name + ".db").toString());
            }
        }
    }
}
