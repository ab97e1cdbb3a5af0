package io.corrosion.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Platform.isLinux(), "thread nice values are Linux's");
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(BackgroundPriority.PROPERTY);
    }

    @Test
    void aLoweredThreadRunsAtTheDefaultNiceAndItsCreatorKeepsItsOwn() throws Exception {
        int creator = currentNice();

        assertThat(niceOfALoweredThread()).isEqualTo(BackgroundPriority.DEFAULT_NICE);
        assertThat(currentNice()).isEqualTo(creator);
    }

    @Test
    void thePropertyChoosesTheNiceValue() throws Exception {
        System.setProperty(BackgroundPriority.PROPERTY, "15");

        assertThat(niceOfALoweredThread()).isEqualTo(15);
    }

    @Test
    void zeroLeavesTheThreadAtItsCreatorsPriority() throws Exception {
        System.setProperty(BackgroundPriority.PROPERTY, "0");

        assertThat(niceOfALoweredThread()).isEqualTo(currentNice());
        assertThat(BackgroundPriority.lowerCurrentThread()).isFalse();
    }

    @Test
    void aValueOutsideZeroToNineteenFallsBackToTheDefault() throws Exception {
        for (String bad : new String[] {"-5", "20", "low"}) {
            System.setProperty(BackgroundPriority.PROPERTY, bad);

            assertThat(BackgroundPriority.nice()).as(bad).isEqualTo(BackgroundPriority.DEFAULT_NICE);
            assertThat(niceOfALoweredThread()).as(bad).isEqualTo(BackgroundPriority.DEFAULT_NICE);
        }
    }

    /** Runs a task on a fresh thread of a lowered factory, and returns the nice value that thread ran at. */
    private static int niceOfALoweredThread() throws Exception {
        var executor = Executors.newSingleThreadExecutor(BackgroundPriority.loweredThreads(Thread::new));
        try {
            return CompletableFuture.supplyAsync(BackgroundPriorityTest::currentNice, executor).get(10, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    /** The calling thread's nice value as the kernel reports it: field 19 of {@code /proc/thread-self/stat}. */
    static int currentNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(afterName[19 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
