package io.corrosion.jdbc.proxy;

import static io.corrosion.jdbc.proxy.ConnectionProbes.each;

import io.corrosion.jdbc.proxy.Differential.Probe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DatabaseMetaData calls of the differential test ({@link JdbcDifferentialTest}). */
final class MetaDataProbes {
    private MetaDataProbes() {}

    /** What names the driver or its URL, which differ by design (README, "JDBC behaviour worth knowing"). */
    static final Set<String> NAMING = Set.of("getURL", "getDriverName", "getDriverVersion", "getDriverMajorVersion",
            "getDriverMinorVersion");

    /** Every no-argument DatabaseMetaData method returning a boolean, number or string, and the ones given an int. */
    private static Map<String, Probe> flags() {
        Map<String, Probe> p = new LinkedHashMap<>();
        Method[] methods = DatabaseMetaData.class.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        int[] levels = {Connection.TRANSACTION_NONE, Connection.TRANSACTION_READ_UNCOMMITTED,
            Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
            Connection.TRANSACTION_SERIALIZABLE};
        int[] kinds = {ResultSet.TYPE_FORWARD_ONLY, ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.TYPE_SCROLL_SENSITIVE,
            ResultSet.HOLD_CURSORS_OVER_COMMIT, ResultSet.CLOSE_CURSORS_AT_COMMIT};
        for (Method m : methods) {
            Class<?> r = m.getReturnType();
            boolean simple = r == boolean.class || r == int.class || r == long.class || r == String.class;
            if (Modifier.isStatic(m.getModifiers()) || !simple || NAMING.contains(m.getName())) {
                continue;
            }
            if (m.getParameterCount() == 0) {
                p.put("metaData." + m.getName(), c -> invoke(c.getMetaData(), m));
            } else if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class) {
                int[] args = m.getName().contains("Isolation") ? levels : kinds;
                p.put("metaData." + m.getName(), c -> {
                    StringBuilder b = new StringBuilder();
                    for (int a : args) {
                        b.append(a).append('=').append(invoke(c.getMetaData(), m, a)).append(' ');
                    }
                    return b.toString();
                });
            } else if (m.getParameterCount() == 2 && m.getParameterTypes()[0] == int.class
                    && m.getParameterTypes()[1] == int.class) {
                p.put("metaData." + m.getName(), c -> invoke(c.getMetaData(), m, ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY) + " " + invoke(c.getMetaData(), m, ResultSet.TYPE_SCROLL_INSENSITIVE,
                        ResultSet.CONCUR_UPDATABLE));
            }
        }
        return p;
    }

    private static String invoke(DatabaseMetaData md, Method m, Object... args) {
        try {
            return Differential.render(m.invoke(md, args));
        } catch (InvocationTargetException e) {
            return Differential.thrown(e.getCause());
        } catch (ReflectiveOperationException | java.sql.SQLException e) {
            return Differential.thrown(e);
        }
    }

    static Map<String, Probe> probes() {
        Map<String, Probe> p = new LinkedHashMap<>();
        p.put("tables", c -> each(c,
                x -> x.getMetaData().getTables(null, null, "%", null),
                x -> x.getMetaData().getTables(null, null, null, null),
                x -> x.getMetaData().getTables(null, null, "t", null),
                x -> x.getMetaData().getTables(null, null, "T", null),
                x -> x.getMetaData().getTables(null, null, "k%", new String[] {"TABLE"}),
                x -> x.getMetaData().getTables(null, null, "_", new String[] {"TABLE", "VIEW"}),
                x -> x.getMetaData().getTables(null, null, "%", new String[] {"VIEW"}),
                x -> x.getMetaData().getTables(null, null, "%", new String[] {"SYSTEM TABLE"}),
                x -> x.getMetaData().getTables(null, null, "crsql%", null),
                x -> x.getMetaData().getTables(null, null, "\\_\\_corrosion%", null),
                x -> x.getMetaData().getTables(null, null, "%crsql%", null),
                x -> x.getMetaData().getTables(null, "main", "%", new String[] {"TABLE"}),
                x -> x.getMetaData().getTables("", "", "%", null)));
        p.put("columns", c -> each(c,
                x -> x.getMetaData().getColumns(null, null, "t", "%"),
                x -> x.getMetaData().getColumns(null, null, "kid", null),
                x -> x.getMetaData().getColumns(null, null, "%", "id"),
                x -> x.getMetaData().getColumns(null, null, "%", "%"),
                x -> x.getMetaData().getColumns(null, null, "T", "N%"),
                x -> x.getMetaData().getColumns(null, null, "v", "%")));
        p.put("keysAndIndexes", c -> each(c,
                x -> x.getMetaData().getPrimaryKeys(null, null, "t"),
                x -> x.getMetaData().getPrimaryKeys(null, null, "kid"),
                x -> x.getMetaData().getPrimaryKeys(null, null, "nope"),
                x -> x.getMetaData().getIndexInfo(null, null, "kid", false, false),
                x -> x.getMetaData().getIndexInfo(null, null, "kid", true, false),
                x -> x.getMetaData().getIndexInfo(null, null, "t", false, true),
                x -> x.getMetaData().getImportedKeys(null, null, "kid"),
                x -> x.getMetaData().getExportedKeys(null, null, "t"),
                x -> x.getMetaData().getCrossReference(null, null, "t", null, null, "kid"),
                x -> x.getMetaData().getBestRowIdentifier(null, null, "t", DatabaseMetaData.bestRowSession, true),
                x -> x.getMetaData().getVersionColumns(null, null, "t")));
        p.put("listings", c -> each(c,
                x -> x.getMetaData().getSchemas(), x -> x.getMetaData().getCatalogs(),
                x -> x.getMetaData().getTableTypes(), x -> x.getMetaData().getTypeInfo(),
                x -> x.getMetaData().getTablePrivileges(null, null, "%"),
                x -> x.getMetaData().getColumnPrivileges(null, null, "t", "%"),
                x -> x.getMetaData().getProcedures(null, null, "%"),
                x -> x.getMetaData().getFunctions(null, null, "%"),
                x -> x.getMetaData().getUDTs(null, null, "%", null),
                x -> x.getMetaData().getSuperTables(null, null, "%"),
                x -> x.getMetaData().getPseudoColumns(null, null, "%", "%"),
                x -> x.getMetaData().getClientInfoProperties(),
                x -> x.getMetaData().getSchemas(null, "%"),
                x -> x.getMetaData().getConnection() == x,
                x -> x.getMetaData().getRowIdLifetime(),
                x -> x.getMetaData().isWrapperFor(DatabaseMetaData.class),
                x -> List.of(x.getMetaData().getDriverName().isEmpty(), x.getMetaData().getDriverMajorVersion() >= 0)));
        p.putAll(flags());
        return p;
    }
}
