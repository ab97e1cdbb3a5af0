package io.corrosion.jdbc.proxy;

import java.lang.reflect.Array;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One sequence of JDBC calls run against plain sqlite-jdbc and against corrosion, outcome by outcome: what a call
 * returned (result sets as their columns, labels, types and rows) or that it threw. SQLStates are left out of the
 * comparison (sqlite-jdbc has none, corrosion must have one: {@link #missingStates} collects those it lacks).
 */
final class Differential {
    /** A probe: calls on {@code c} whose outcome is rendered by {@link #render}. */
    @FunctionalInterface
    interface Probe {
        Object run(Connection c) throws Exception;
    }

    /** A probe's name and its outcome on each side, when they differ. */
    record Difference(String probe, String sqlite, String corrosion) {
        /** The lines (steps, list items, rows) only one side has, in order (a longest-common-subsequence diff). */
        @Override
        public String toString() {
            String[] a = sqlite.split("\n");
            String[] b = corrosion.split("\n");
            int[][] common = new int[a.length + 1][b.length + 1];
            for (int i = a.length - 1; i >= 0; i--) {
                for (int j = b.length - 1; j >= 0; j--) {
                    common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1
                            : Math.max(common[i + 1][j], common[i][j + 1]);
                }
            }
            StringBuilder out = new StringBuilder(probe).append(':');
            int i = 0;
            int j = 0;
            while (i < a.length || j < b.length) {
                if (i < a.length && j < b.length && a[i].equals(b[j])) {
                    i++;
                    j++;
                } else if (j == b.length || i < a.length && common[i + 1][j] >= common[i][j + 1]) {
                    out.append("\n  sqlite-jdbc #").append(i).append(": ").append(a[i++]);
                } else {
                    out.append("\n  corrosion   #").append(j).append(": ").append(b[j++]);
                }
            }
            return out.toString();
        }
    }

    /** Corrosion's exceptions that carry no SQLState, by probe. */
    final List<String> missingStates = new ArrayList<>();

    /** The outcome of {@code probe} on {@code c}, rendered; for corrosion also checks the SQLState of an exception. */
    String outcome(String name, Probe probe, Connection c, boolean corrosion) {
        try {
            return render(probe.run(c));
        } catch (Throwable e) {
            if (corrosion) {
                for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                    if (t instanceof SQLException s && s.getSQLState() == null && t == e) {
                        missingStates.add(name + ": " + e);
                    }
                }
            }
            return thrown(e);
        }
    }

    static String thrown(Throwable e) {
        if (e == null) {
            return "no exception";
        }
        if (e instanceof BatchUpdateException b) {
            return "threw BatchUpdateException " + Arrays.toString(b.getUpdateCounts());
        }
        if (e instanceof SQLException) {
            return "threw SQLException";
        }
        return "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** What {@code call} returned, rendered, or that it threw. */
    static String attempt(StatementProbes.Call call) {
        try {
            return render(call.call());
        } catch (Exception e) {
            return thrown(e);
        }
    }

    /** A value as the comparison sees it; a result set is read to its end. */
    static String render(Object v) throws SQLException {
        if (v == null) {
            return "null";
        }
        if (v instanceof ResultSet rs) {
            return resultSet(rs);
        }
        if (v.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(render(Array.get(v, i)));
            }
            return items.toString();
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object o : list) {
                items.add(render(o));
            }
            return "[" + String.join("\n", items) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append(e.getKey()).append('=').append(render(e.getValue())).append(", ");
            }
            return b.append('}').toString();
        }
        if (v instanceof Throwable t) {
            return thrown(t);
        }
        return v instanceof String ? (String) v : v + " (" + v.getClass().getSimpleName() + ")";
    }

    /** Columns (label, type, type name) and rows (value and class) of {@code rs}, closed afterwards. */
    static String resultSet(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            StringBuilder b = new StringBuilder("columns[");
            boolean empty = !rs.next();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                b.append(md.getColumnLabel(i)).append(' ');
                if (!empty) { // sqlite-jdbc types a column by its first value: NUMERIC with none
                    b.append(md.getColumnType(i)).append(':').append(md.getColumnTypeName(i)).append(' ');
                }
            }
            b.append("] rows[");
            for (boolean row = !empty; row; row = rs.next()) {
                b.append('(');
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    b.append(render(rs.getObject(i))).append(", ");
                }
                b.append(")\n");
            }
            return b.append(']').toString();
        }
    }
}
