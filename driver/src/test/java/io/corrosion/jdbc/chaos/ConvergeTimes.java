package io.corrosion.jdbc.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the cluster took to converge after each fault of {@link ProcessChaos} ended, by kind of fault, with
 * nearest-rank percentiles for the report. Faults after which it did not converge in time are counted apart.
 */
final class ConvergeTimes {
    private final Map<String, List<Long>> millis = new LinkedHashMap<>();
    private final Map<String, Integer> timedOut = new LinkedHashMap<>();

    void converged(String kind, long ms) {
        millis.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
    }

    void timedOut(String kind) {
        timedOut.merge(kind, 1, Integer::sum);
    }

    int count(String kind) {
        return millis.getOrDefault(kind, List.of()).size() + timedOut.getOrDefault(kind, 0);
    }

    int timeouts() {
        return timedOut.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The nearest-rank percentile {@code p} (0-100] of {@code values}; 0 for none. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** One line per kind and one for all: {@code kill: 9, converged p50 640 ms, p99 2100 ms, max 2100 ms}. */
    String report() {
        StringBuilder b = new StringBuilder();
        List<Long> all = new ArrayList<>();
        for (String kind : kinds()) {
            List<Long> values = millis.getOrDefault(kind, List.of());
            all.addAll(values);
            b.append(line(kind, values, timedOut.getOrDefault(kind, 0))).append('\n');
        }
        return b.append(line("all", all, timeouts())).toString();
    }

    private List<String> kinds() {
        List<String> kinds = new ArrayList<>(millis.keySet());
        timedOut.keySet().stream().filter(k -> !kinds.contains(k)).forEach(kinds::add);
        return kinds;
    }

    private static String line(String kind, List<Long> values, int timeouts) {
        String line = String.format("  %-10s %3d, converged p50 %5d ms, p99 %5d ms, max %5d ms", kind + ":",
                values.size() + timeouts, percentile(values, 50), percentile(values, 99), percentile(values, 100));
        return timeouts == 0 ? line : line + ", " + timeouts + " NOT CONVERGED in time";
    }
}
