package io.corrosion.gossip.sim;

import io.corrosion.gossip.wire.GossipMessage;
import java.util.Map;
import java.util.TreeMap;

/** Network counters of a simulation. */
public final class SimStats {

    long events;
    long delivered;
    long lost;
    long duplicated;
    long dropped;
    long partitioned;
    long decodeFailures;
    long oversizeFrames;
    long oversizeDatagrams;
    long brokenSessions;
    long crashes;
    long writes;
    private final Map<String, long[]> byType = new TreeMap<>();

    void count(GossipMessage message, int bytes) {
        long[] c = byType.computeIfAbsent(message.getClass().getSimpleName(), k -> new long[2]);
        c[0]++;
        c[1] += bytes;
    }

    /** Messages sent of a type (simple class name), e.g. "Ping", "BroadcastMessage". */
    public long sent(String type) {
        long[] c = byType.get(type);
        return c == null ? 0 : c[0];
    }

    public long bytesSent(String type) {
        long[] c = byType.get(type);
        return c == null ? 0 : c[1];
    }

    public long sentTotal() {
        return byType.values().stream().mapToLong(c -> c[0]).sum();
    }

    public long events() {
        return events;
    }

    public long delivered() {
        return delivered;
    }

    public long lost() {
        return lost;
    }

    public long decodeFailures() {
        return decodeFailures;
    }

    public long oversizeFrames() {
        return oversizeFrames;
    }

    public long oversizeDatagrams() {
        return oversizeDatagrams;
    }

    public long brokenSessions() {
        return brokenSessions;
    }

    public long partitioned() {
        return partitioned;
    }

    @Override
    public String toString() {
        return "events=" + events + " delivered=" + delivered + " lost=" + lost + " duplicated=" + duplicated
                + " dropped=" + dropped + " partitioned=" + partitioned + " decodeFailures=" + decodeFailures
                + " oversize=" + oversizeFrames + "/" + oversizeDatagrams + " brokenSessions=" + brokenSessions
                + " sent=" + byType.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()[0]).toList();
    }
}
