package io.corrosion.gossip.runtime;

import io.corrosion.gossip.NodeAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Member addresses as socket addresses. Members advertise IP literals, which resolve without a lookup; a seed may
 * be a host name, looked up once a minute at most (a failed lookup too), so DNS stays off the hot path.
 * Protocol thread only.
 */
final class AddressBook {

    private static final long TTL_NANOS = 60_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(InetSocketAddress address, long resolvedAt) {
    }

    private final Map<NodeAddress, Entry> cache = new HashMap<>();
    private final RateLimitedLog warnings;

    AddressBook(RateLimitedLog warnings) {
        this.warnings = warnings;
    }

    /** The socket address, or {@code null} if the host name does not resolve. */
    InetSocketAddress resolve(NodeAddress address) {
        long now = System.nanoTime();
        Entry entry = cache.get(address);
        if (entry == null || now - entry.resolvedAt >= TTL_NANOS) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            entry = new Entry(new InetSocketAddress(address.host(), address.port()), now);
            cache.put(address, entry);
            if (entry.address.isUnresolved()) {
                warnings.warn("cannot resolve " + address + "; retrying in a minute");
            }
        }
        return entry.address.isUnresolved() ? null : entry.address;
    }
}
