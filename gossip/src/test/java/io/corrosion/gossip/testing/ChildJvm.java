package io.corrosion.gossip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A main class of the test sources in its own JVM (same class path), talked to through stdin and stdout: lines it
 * prints starting with {@code @@ } are protocol lines; for the words named {@code latestOnly} only the newest such
 * line is kept (status reports). Log lines with {@code ERROR} are collected, so a test can require none.
 * {@code -Dgossip.test.echo=true} echoes the child's output to stderr, for debugging.
 */
public final class ChildJvm {

    private static final boolean ECHO = Boolean.getBoolean("gossip.test.echo");

    private final String name;
    private final Process process;
    private final Set<String> latestOnly;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, String> latest = new ConcurrentHashMap<>();

    private ChildJvm(String name, Process process, Set<String> latestOnly) {
        this.name = name;
        this.process = process;
        this.latestOnly = latestOnly;
        Thread reader = new Thread(this::read, "reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args}; its stderr goes to {@code stderr}. */
    public static ChildJvm launch(String name, Class<?> main, List<String> args, Path stderr, Set<String> latestOnly)
            throws IOException {
        return launch(name, List.of(), main, args, stderr, latestOnly);
    }

    /**
     * As {@link #launch(String, Class, List, Path, Set)}, the java command preceded by {@code prefix}, a command that
     * runs its arguments in place (e.g. {@code ip netns exec <namespace>}), so the process is still the JVM itself.
     */
    public static ChildJvm launch(String name, List<String> prefix, Class<?> main, List<String> args, Path stderr,
                                  Set<String> latestOnly) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(name, process, latestOnly);
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("@@ ")) {
                    String text = line.substring(3);
                    String word = text.split(" ", 2)[0];
                    if (latestOnly.contains(word)) {
                        latest.put(word, text);
                    } else {
                        lines.add(text);
                    }
                } else if (line.contains(" ERROR ")) {
                    errors.add(line);
                }
                if (ECHO) {
                    System.err.println(name + " | " + line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** Protocol lines so far, in order (without the latest-only ones). */
    public List<String> lines() {
        return lines;
    }

    /** Log lines at ERROR level. */
    public List<String> errors() {
        return errors;
    }

    public boolean said(String prefix) {
        return lines.stream().anyMatch(line -> line.startsWith(prefix));
    }

    /** The newest line starting with a latest-only word, or "". */
    public String latest(String word) {
        return latest.getOrDefault(word, "");
    }

    /** Writes a line to the child's stdin. */
    public void tell(String line) {
        try {
            Writer in = new OutputStreamWriter(process.getOutputStream(), UTF_8);
            in.write(line + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
