package io.corrosion.gossip.runtime;

import io.corrosion.gossip.ApplyOutcome;
import io.corrosion.gossip.Changeset;
import io.corrosion.gossip.SiteId;
import io.corrosion.gossip.SyncNeed;
import io.corrosion.gossip.SyncState;
import io.corrosion.gossip.store.ChangesetStore;
import io.corrosion.gossip.store.InMemoryChangesetStore;
import io.corrosion.gossip.wire.DecodeException;
import io.corrosion.gossip.wire.SessionKey;
import io.corrosion.gossip.wire.SyncChangesets;
import io.corrosion.gossip.wire.WireCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory store that survives kill -9: every changeset it takes (committed here, or applied as new) is
 * appended to a file before the call returns, and replayed at start. A record cut short by a crash is ignored, as
 * nothing was acknowledged for it. For the multi-process tests; the driver's store is SQLite.
 */
final class FileChangesetStore implements ChangesetStore {

    private static final SessionKey RECORD = new SessionKey(new SiteId(0, 0), 0);

    private final WireCodec codec = new WireCodec(16 << 20);
    private final ObservedStore store;
    private final DataOutputStream out;

    FileChangesetStore(SiteId self, Path file) {
        store = new ObservedStore(self, this::append);
        try {
            if (Files.exists(file)) {
                replay(file);
            }
            out = new DataOutputStream(new FileOutputStream(file.toFile(), true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replay(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            while (true) {
                byte[] frame;
                try {
                    frame = new byte[in.readInt()];
                    in.readFully(frame);
                } catch (EOFException cutShort) {
                    return;
                }
                try {
                    store.memory.apply(((SyncChangesets) codec.decode(frame)).changesets());
                } catch (DecodeException e) {
                    return;
                }
            }
        }
    }

    InMemoryChangesetStore memory() {
        return store.memory;
    }

    /** A local commit of one version, chunked; on disk when this returns. */
    synchronized List<Changeset.Full> commitLocal(byte[] payload, int chunkBytes) {
        List<Changeset.Full> chunks = store.memory.commitLocal(payload, chunkBytes, System.currentTimeMillis());
        append(new ArrayList<>(chunks));
        return chunks;
    }

    @Override
    public synchronized List<ApplyOutcome> apply(List<Changeset> batch) {
        return store.apply(batch);
    }

    @Override
    public SyncState syncState() {
        return store.syncState();
    }

    @Override
    public ReadBatch read(List<SyncNeed> needs, int maxBytes) {
        return store.read(needs, maxBytes);
    }

    private void append(List<Changeset> changesets) {
        byte[] frame = codec.encode(new SyncChangesets(RECORD, changesets));
        try {
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
