package io.corrosion.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this class path in a JVM of its own, talked to line by line: commands on its stdin, answers on
 * its stdout as lines starting with {@code @@ }. Its log (stderr) goes to a file.
 */
public final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    /** Whether JVM options choose a garbage collector ({@code -XX:+Use...GC}). */
    public static boolean choosesCollector(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
    }

    public NodeProcess(String name, Class<?> main, List<String> args, Path log, String... jvmOptions) throws IOException {
        this.name = name;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED"));
        if (!choosesCollector(List.of(jvmOptions))) {
            command.add("-XX:+UseSerialGC"); // unless the options choose a collector
        }
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "out-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("@@ ")) {
                    answers.add(line.substring(3));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        answers.add("EOF");
    }

    public void tell(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
    }

    /** The next answer; the first word must be {@code word} (a FAILED answer or the end of the process throws). */
    public String next(String word, Duration timeout) throws IOException, InterruptedException {
        String line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || !line.startsWith(word)) {
            throw new IOException(name + " answered '" + line + "' instead of " + word + " (see its log)");
        }
        return line.substring(word.length()).trim();
    }

    /** Sends a command and returns its one-line answer. */
    public String ask(String command, String word) throws IOException, InterruptedException {
        tell(command);
        return next(word, Duration.ofSeconds(30));
    }

    /** Sends a command and collects {@code word} lines until {@code END}. */
    public List<String> askAll(String command, String word) throws IOException, InterruptedException {
        tell(command);
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = answers.poll(30, TimeUnit.SECONDS);
            if (line == null || line.equals("END")) {
                return lines;
            }
            if (!line.startsWith(word)) {
                throw new IOException(name + " answered '" + line + "' instead of " + word);
            }
            lines.add(line.substring(word.length()).trim());
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            tell("EXIT");
        } catch (IOException gone) {
            // already ended
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
