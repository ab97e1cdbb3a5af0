package io.corrosion.jdbc.apps;

import java.util.concurrent.Callable;

/** Outcomes of framework calls, rendered for tests that compare them on plain sqlite-jdbc and on the driver. */
public final class Outcomes {
    private Outcomes() {}

    /**
     * What {@code call} returned, or the exception classes of its cause chain (SQLStates aside: sqlite-jdbc has none,
     * so a framework's translation may differ where the driver's state is more precise).
     */
    public static String attempt(Callable<Object> call) {
        try {
            return String.valueOf(call.call());
        } catch (Exception e) {
            StringBuilder b = new StringBuilder("threw");
            for (Throwable t = e; t != null; t = t.getCause()) {
                b.append(' ').append(t.getClass().getSimpleName());
            }
            return b.toString();
        }
    }
}
