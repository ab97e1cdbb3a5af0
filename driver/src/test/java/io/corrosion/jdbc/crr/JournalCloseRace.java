package io.corrosion.jdbc.crr;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens a connection on a file at the moment its journal starts closing (a shutdown racing a new connection). */
public final class JournalCloseRace {
    private JournalCloseRace() {}

    /**
     * When the last holder of {@code file}'s journal lets go, opens a connection with {@code open} on another thread,
     * and lets the close go on once that connection is open or waits for the close to end.
     */
    public static CompletableFuture<Connection> openWhileClosing(Path file, Callable<Connection> open) throws IOException {
        String key = file.toRealPath().toString();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        Journals.beforeClose = closing -> {
            if (!closing.equals(key)) {
                return;
            }
            Journals.beforeClose = f -> { };
            new Thread(() -> {
                try {
                    opened.complete(open.call());
                } catch (Exception | Error e) {
                    opened.completeExceptionally(e);
                }
            }, "open-while-closing").start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Journals.waitingForClose(key) == 0) {
                try {
                    opened.get(10, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the connection neither opened nor waited for the close");
                    }
                } catch (ExecutionException | InterruptedException e) {
                    return; // the caller sees it in the future
                }
            }
        };
        return opened;
    }
}
