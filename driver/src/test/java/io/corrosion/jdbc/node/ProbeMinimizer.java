package io.corrosion.jdbc.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a failing replayed sequence down ({@code -Dfuzz.minimize=true} with {@code fuzz.replay}): leaves statements
 * out, first in halves and quarters, then one by one, as long as the run still fails the same way (the same kind of
 * difference, statement numbers aside). Prints the statements left, to put in a test.
 */
final class ProbeMinimizer {
    private final Path dir;
    private int runs;

    ProbeMinimizer(Path dir) {
        this.dir = dir;
    }

    List<String> minimize(List<String> statements) throws Exception {
        String kind = failure(statements);
        if (kind == null) {
            throw new AssertionError("the replayed statements do not fail");
        }
        List<String> left = new ArrayList<>(statements);
        for (int chunk = Math.max(1, left.size() / 2); chunk >= 1; chunk = chunk == 1 ? 0 : chunk / 2) {
            boolean cut = true;
            while (cut) {
                cut = false;
                for (int from = left.size() - chunk; from >= 0; from -= chunk) {
                    List<String> shorter = new ArrayList<>(left);
                    shorter.subList(from, from + chunk).clear();
                    if (kind.equals(failure(shorter))) {
                        left = shorter;
                        cut = true;
                        from = Math.min(from, left.size() - chunk + 1);
                    }
                }
            }
        }
        System.out.println("minimized (" + left.size() + " of " + statements.size() + " statements, " + runs + " runs), failing with: "
                + kind + "\n" + String.join("\n", left));
        return left;
    }

    /** The kind of the run's failure ("statement differs", "tables on a second node differ", an exception's class), or null. */
    private String failure(List<String> statements) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("min" + runs++));
        try {
            new ProbeRun(sub, 0, statements.size(), false, statements).run();
            return null;
        } catch (AssertionError e) {
            return e.getMessage().lines().findFirst().orElse("").replaceAll("^random schema probe, seed \\d+: ", "")
                    .replaceAll("\\d+", "N");
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }
}
