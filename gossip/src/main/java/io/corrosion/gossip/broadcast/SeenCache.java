package io.corrosion.gossip.broadcast;

import io.corrosion.gossip.ChangesetId;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bounded dedupe set: the most recent changeset ids; older ones fall out and the store dedupes them. */
final class SeenCache {

    private final int capacity;
    private final LinkedHashMap<ChangesetId, Boolean> ids;

    SeenCache(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ChangesetId, Boolean> eldest) {
                return size() > SeenCache.this.capacity;
            }
        };
    }

    /** Adds the id; false if it was already there. */
    boolean add(ChangesetId id) {
        return ids.put(id, Boolean.TRUE) == null;
    }

    boolean contains(ChangesetId id) {
        return ids.containsKey(id);
    }

    void remove(ChangesetId id) {
        ids.remove(id);
    }

    int size() {
        return ids.size();
    }
}
