package io.corrosion.gossip.runtime;

import io.corrosion.gossip.GossipEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a node's listener heard, and on which thread. */
final class EventLog implements GossipListener {

    final List<GossipEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(GossipEvent event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
    }

    <T extends GossipEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
