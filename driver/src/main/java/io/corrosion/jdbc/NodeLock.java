package io.corrosion.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process writes a database file through the driver: the one that holds the lock of {@code <file>-node.lock}
 * (an OS file lock, let go when the process ends however it ends). One file is one node, and its writer keeps state
 * in memory for the file (the version log entries it has not flushed yet, its db versions, its key counters): a second
 * process writing the file would take the same db versions (peers drop one side's writes as duplicates), and its
 * final flush would mark the file cleanly closed under the running node, whose next crash would then skip recovery and
 * lose the versions it had not flushed. So a second process reads the file only ({@link CorrosionDatabase}).
 *
 * <p>A separate file, not a lock on the database file: a process that closes any descriptor of a file loses every
 * POSIX lock it holds on it, SQLite's among them. The file holds the holder's pid, for the message of the others.
 */
final class NodeLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeLock.class);
    static final String SUFFIX = "-node.lock";
    /** How long an open waits for this JVM's previous database of the file to finish closing. */
    private static final long CLOSING_WAIT_MILLIS = 30_000;
    /** Files whose lock this JVM holds (a database of the file that is still closing holds it too). */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path lockFile;
    private final FileChannel channel;

    private NodeLock(Path lockFile, FileChannel channel) {
        this.lockFile = lockFile;
        this.channel = channel;
    }

    /** The outcome of {@link #acquire}: the lock, or the pid of the process that holds it. */
    sealed interface Outcome permits Acquired, HeldElsewhere, Unavailable {}

    record Acquired(NodeLock lock) implements Outcome {}

    /** Another process holds the lock; {@code holder} is its pid as it wrote it, if readable. */
    record HeldElsewhere(Optional<String> holder) implements Outcome {}

    /** The file system refused file locks (some network file systems): nothing is known. */
    record Unavailable(String why) implements Outcome {}

    /** Takes the lock of {@code databaseFile}, after this JVM's previous database of it let go. */
    static Outcome acquire(Path databaseFile) throws InterruptedException {
        Path lockFile = databaseFile.resolveSibling(databaseFile.getFileName() + SUFFIX);
        synchronized (HELD) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSING_WAIT_MILLIS);
            while (HELD.contains(lockFile)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Unavailable("this JVM's previous database of the file did not finish closing");
                }
                TimeUnit.NANOSECONDS.timedWait(HELD, left);
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    Optional<String> holder = readHolder(channel);
                    channel.close();
                    return new HeldElsewhere(holder);
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
                HELD.add(lockFile);
                return new Acquired(new NodeLock(lockFile, channel));
            } catch (IOException | UnsupportedOperationException | OverlappingFileLockException e) {
                closeQuietly(channel);
                return new Unavailable(e.toString());
            }
        }
    }

    private static Optional<String> readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
            return pid.matches("\\d{1,19}") ? Optional.of(pid) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Lets go (the lock file stays: deleting it would race with another process taking it). */
    @Override
    public void close() {
        synchronized (HELD) {
            closeQuietly(channel);
            HELD.remove(lockFile);
            HELD.notifyAll();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a node lock file failed", e);
        }
    }
}
