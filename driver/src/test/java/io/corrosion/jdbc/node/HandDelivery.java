package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.MissingSchemaException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replication between test {@link Node}s by hand, as the agent does it: each (site, db_version) moves to a node once,
 * one transaction per version, and is booked there (never sent again); a node's own versions that carry no change any
 * more are booked as empty. By URL, so a node opened again keeps what it booked.
 */
final class HandDelivery {
    private final Path dir;
    private final Map<String, Set<String>> booked = new HashMap<>();
    /** Versions a node refused (the agent: WARN, not booked, offered again by sync), with the reason. */
    final List<String> refusals = new ArrayList<>();

    HandDelivery(Path dir) {
        this.dir = dir;
    }

    /** A node of its own file in the test's folder, with its own {@code node-slot} (keys never collide). */
    Node node(String name, int slot, String... extra) throws SQLException {
        List<String> query = new ArrayList<>(List.of("node-slot=" + slot));
        query.addAll(List.of(extra));
        return new Node(dir, name, query.toArray(String[]::new));
    }

    private static String site(byte[] s) {
        return HexFormat.of().formatHex(s);
    }

    /**
     * Every version of any site that {@code from} holds and {@code to} has not booked yet, merged into {@code to}.
     * Returns the changes {@code to} could not take for a missing table or column (the agent keeps them; booked too).
     */
    List<Change> deliver(Node from, Node to) throws SQLException {
        String self = site(to.crr.siteId());
        Set<String> have = booked.computeIfAbsent(to.url, k -> new HashSet<>());
        Map<String, List<Change>> byVersion = new LinkedHashMap<>();
        for (Change ch : from.crr.changesSince(0)) {
            String key = site(ch.siteId()) + ":" + ch.dbVersion();
            if (!site(ch.siteId()).equals(self) && !have.contains(key)) {
                byVersion.computeIfAbsent(key, k -> new ArrayList<>()).add(ch);
            }
        }
        String fromSite = site(from.crr.siteId());
        for (long v = 1; v <= from.crr.dbVersion(); v++) {
            have.add(fromSite + ":" + v);
        }
        List<Change> kept = new ArrayList<>();
        for (Map.Entry<String, List<Change>> e : byVersion.entrySet()) {
            try {
                to.crr.applyChanges(e.getValue());
            } catch (MissingSchemaException missing) {
                kept.addAll(e.getValue());
            } catch (SQLException refused) {
                refusals.add(e.getKey() + " at " + to.url + ": " + refused.getMessage());
                have.remove(e.getKey());
                continue;
            }
            have.add(e.getKey());
        }
        return kept;
    }

    /** Two rounds of every node to every other; returns what the nodes kept. */
    List<Change> deliverAll(Node... nodes) throws SQLException {
        List<Change> kept = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Node a : nodes) {
                for (Node b : nodes) {
                    if (a != b) {
                        kept.addAll(deliver(a, b));
                    }
                }
            }
        }
        return kept;
    }
}
