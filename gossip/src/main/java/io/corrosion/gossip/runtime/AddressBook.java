package io.corrosion.gossip.runtime;

import io.corrosion.gossip.NodeAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Member addresses as socket addresses. An IP literal becomes one at once, without a lookup. A host name — a seed's,
 * or one any member advertises — is looked up off the protocol thread (a member could name a DNS server that never
 * answers), each on a thread of its own, at most once a minute (a failed lookup too); meanwhile, and when a later
 * lookup fails, the last answer serves, and what waits for the first one is sent when it comes. Lookups in flight and
 * what waits for them are bounded. Protocol thread only.
 */
final class AddressBook {

    private static final long TTL_NANOS = 60_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;
    static final int MAX_LOOKUPS = 64;
    /**
     * Threads for lookups. The book counts a lookup done when the protocol thread takes its answer in, a pool when its
     * thread is free again: room for twice as many, so that threads between the two never make the pool refuse a
     * lookup the book has room for (a refused one would be taken as a name that does not resolve, for a minute).
     */
    static final int RESOLVER_THREADS = 2 * MAX_LOOKUPS;
    static final int MAX_WAITING_PER_NAME = 64;
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4_LITERAL = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private record Entry(InetSocketAddress address, long resolvedAt) {
    }

    private final Map<NodeAddress, Entry> cache = new HashMap<>();
    private final Map<NodeAddress, List<Consumer<InetSocketAddress>>> lookingUp = new HashMap<>();
    private final Function<NodeAddress, InetSocketAddress> lookup;
    private final Executor lookups;
    private final Executor protocolThread;
    private final RateLimitedLog warnings;

    /**
     * @param lookup         resolves a host name, blocking; an unresolved address if it does not resolve
     * @param lookups        where lookups run (not the protocol thread)
     * @param protocolThread where their answers are taken in
     */
    AddressBook(Function<NodeAddress, InetSocketAddress> lookup, Executor lookups, Executor protocolThread,
            RateLimitedLog warnings) {
        this.lookup = lookup;
        this.lookups = lookups;
        this.protocolThread = protocolThread;
        this.warnings = warnings;
    }

    /** The JDK's resolver (the system's DNS). */
    static InetSocketAddress systemLookup(NodeAddress address) {
        return new InetSocketAddress(address.host(), address.port());
    }

    /**
     * The socket address as known now, or {@code null}: the host name does not resolve, or its first lookup has
     * only just started.
     */
    InetSocketAddress resolve(NodeAddress address) {
        Entry entry = known(address);
        return entry == null || entry.address.isUnresolved() ? null : entry.address;
    }

    /**
     * Runs {@code then} with the socket address — at once if it is known, else on the protocol thread when the
     * lookup answers — or with {@code null} if the host name does not resolve or too much waits for lookups.
     */
    void whenResolved(NodeAddress address, Consumer<InetSocketAddress> then) {
        Entry entry = known(address);
        if (entry != null) {
            then.accept(entry.address.isUnresolved() ? null : entry.address);
            return;
        }
        List<Consumer<InetSocketAddress>> waiting = lookingUp.get(address);
        if (waiting == null || waiting.size() >= MAX_WAITING_PER_NAME) {
            then.accept(null); // no lookup could be started, or this one has enough waiting: dropped like a loss
            return;
        }
        waiting.add(then);
    }

    /** The current entry (a stale one while it is looked up again); null while a first lookup runs. */
    private Entry known(NodeAddress address) {
        Entry entry = cache.get(address);
        if (entry != null && System.nanoTime() - entry.resolvedAt < TTL_NANOS) {
            return entry;
        }
        if (isIpLiteral(address.host())) {
            entry = new Entry(systemLookup(address), System.nanoTime()); // parses, never asks DNS
            remember(address, entry);
            return entry;
        }
        startLookup(address);
        return entry;
    }

    private void startLookup(NodeAddress address) {
        if (lookingUp.containsKey(address)) {
            return;
        }
        if (lookingUp.size() >= MAX_LOOKUPS) {
            warnings.warn(MAX_LOOKUPS + " host names are being looked up already; " + address + " waits for a "
                    + "later attempt");
            return;
        }
        lookingUp.put(address, new ArrayList<>());
        try {
            lookups.execute(() -> {
                InetSocketAddress answer;
                try {
                    answer = lookup.apply(address);
                } catch (RuntimeException e) {
                    answer = InetSocketAddress.createUnresolved(address.host(), address.port());
                }
                InetSocketAddress result = answer;
                protocolThread.execute(() -> answered(address, result));
            });
        } catch (RejectedExecutionException stopped) {
            answered(address, InetSocketAddress.createUnresolved(address.host(), address.port()));
        }
    }

    private void answered(NodeAddress address, InetSocketAddress lookedUp) {
        Entry before = cache.get(address);
        InetSocketAddress answer = lookedUp;
        if (lookedUp.isUnresolved()) {
            boolean keep = before != null && !before.address.isUnresolved();
            if (keep) {
                answer = before.address; // one failed refresh (a DNS hiccup) must not make the member unreachable
            }
            warnings.warn("cannot resolve " + address + (keep ? "; keeping " + answer.getAddress().getHostAddress()
                    + " and" : ";") + " retrying in a minute");
        }
        remember(address, new Entry(answer, System.nanoTime()));
        List<Consumer<InetSocketAddress>> waiting = lookingUp.remove(address);
        if (waiting != null) {
            for (Consumer<InetSocketAddress> then : waiting) {
                then.accept(answer.isUnresolved() ? null : answer);
            }
        }
    }

    private void remember(NodeAddress address, Entry entry) {
        if (cache.size() >= MAX_ENTRIES && !cache.containsKey(address)) {
            cache.clear();
        }
        cache.put(address, entry);
    }

    /**
     * A host the JDK takes as an IP literal, never asking DNS: a dotted quad without octets above 255 or leading
     * zeros, or text with a colon that starts with a hex digit or a colon (the JDK parses it as IPv6, or fails).
     * What merely looks like one ({@code 999.1.1.1}, {@code zz:zz}) the JDK would look up: it is a name here.
     */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return host.charAt(0) == ':' || Character.digit(host.charAt(0), 16) != -1;
        }
        return IPV4_LITERAL.matcher(host).matches();
    }
}
