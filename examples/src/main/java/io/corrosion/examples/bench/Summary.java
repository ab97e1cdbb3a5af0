package io.corrosion.examples.bench;

import java.util.Arrays;
import java.util.Locale;

/** The median and the range of a benchmark's per-round figures. */
final class Summary {
    private Summary() {
    }

    /** "min-max", each printed with {@code format}. */
    static String spread(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, format + "-" + format, v[0], v[v.length - 1]);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
