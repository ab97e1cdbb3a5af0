package io.corrosion.gossip.core;

import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.wire.SessionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one call into {@link GossipCore} produced, in order: messages to send, store tasks to run, events to
 * publish, sync sessions whose stream may be closed. The driver of the core drains it after every call.
 */
public final class Outbox {

    /**
     * A sync session is over: finish its stream to {@code peer} when {@code clean}, abort it otherwise (timed out,
     * broken, store failure).
     */
    public record SessionClosed(NodeAddress peer, SessionKey session, boolean clean) {
    }

    private final List<Outgoing> messages = new ArrayList<>();
    private final List<StoreTask> storeTasks = new ArrayList<>();
    private final List<GossipEvent> events = new ArrayList<>();
    private final List<SessionClosed> closedSessions = new ArrayList<>();

    void send(Outgoing outgoing) {
        messages.add(outgoing);
    }

    void task(StoreTask task) {
        storeTasks.add(task);
    }

    void event(GossipEvent event) {
        events.add(event);
    }

    void closed(SessionClosed closed) {
        closedSessions.add(closed);
    }

    public List<Outgoing> drainMessages() {
        return drain(messages);
    }

    public List<StoreTask> drainStoreTasks() {
        return drain(storeTasks);
    }

    public List<GossipEvent> drainEvents() {
        return drain(events);
    }

    public List<SessionClosed> drainClosedSessions() {
        return drain(closedSessions);
    }

    public boolean isEmpty() {
        return messages.isEmpty() && storeTasks.isEmpty() && events.isEmpty() && closedSessions.isEmpty();
    }

    private static <T> List<T> drain(List<T> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(list);
        list.clear();
        return out;
    }
}
