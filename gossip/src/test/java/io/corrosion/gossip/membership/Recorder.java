package io.corrosion.gossip.membership;

import io.corrosion.gossip.GossipEvent;
import io.corrosion.gossip.NodeAddress;
import io.corrosion.gossip.wire.MembershipMessage;
import java.util.ArrayList;
import java.util.List;

/** Records what a membership core asks for. */
final class Recorder implements MembershipOutput {

    record Sent(NodeAddress to, MembershipMessage message) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<GossipEvent> events = new ArrayList<>();

    @Override
    public void send(NodeAddress to, MembershipMessage message) {
        sent.add(new Sent(to, message));
    }

    @Override
    public void event(GossipEvent event) {
        events.add(event);
    }

    <T extends MembershipMessage> List<T> sent(Class<T> type) {
        return sent.stream().filter(s -> type.isInstance(s.message())).map(s -> type.cast(s.message())).toList();
    }

    <T extends MembershipMessage> List<Sent> sentOf(Class<T> type) {
        return sent.stream().filter(s -> type.isInstance(s.message())).toList();
    }

    <T extends GossipEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clear() {
        sent.clear();
        events.clear();
    }
}
