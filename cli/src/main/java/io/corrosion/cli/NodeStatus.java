package io.corrosion.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * A node's replication as its {@code io.corrosion:type=Replication} MBean shows it: who it is, its members, the
 * versions it has per site and its counters.
 */
record NodeStatus(String database, String target, String siteId, String address, List<String> members,
                  List<SiteVersion> versions, Map<String, Object> figures) {

    /** The MBean attributes read besides members and versions. */
    static final String[] FIGURES = {"MembersAlive", "MembersSuspect", "MembersDown", "ChangesetsBroadcast",
            "BroadcastsDropped", "ChangesetsReceived", "ChangesetsApplied", "ChangesetsRejected", "SyncRounds",
            "PublishBacklog", "ApplyQueue", "ApplyLagMillis", "MissingVersions", "PendingChanges", "OwnSiteBehind",
            "SiteIdShared", "LatencyLastMillis", "LatencyMeanMillis", "LatencyMaxMillis", "WalFlushes",
            "WalFlushMaxMillis", "Checkpoints", "CheckpointMaxMillis", "WalPages"};

    /** One line of {@code SiteVersions}: a site, the highest db version of it applied here, and how many are missing. */
    record SiteVersion(String siteId, long head, long missing) {
        static SiteVersion parse(String line) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 3) {
                throw new CliException("unexpected SiteVersions line from the node: '" + line + "'");
            }
            return new SiteVersion(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        }
    }

    static NodeStatus read(MBeanServerConnection server, ObjectName name, String target) throws JMException,
            java.io.IOException {
        String[] wanted = new String[FIGURES.length + 4];
        System.arraycopy(FIGURES, 0, wanted, 0, FIGURES.length);
        wanted[FIGURES.length] = "SiteId";
        wanted[FIGURES.length + 1] = "Address";
        wanted[FIGURES.length + 2] = "Members";
        wanted[FIGURES.length + 3] = "SiteVersions";
        AttributeList attributes = server.getAttributes(name, wanted);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Attribute a : attributes.asList()) {
            values.put(a.getName(), a.getValue());
        }
        for (String attribute : wanted) {
            if (!values.containsKey(attribute)) {
                throw new CliException(target + ": the node's MBean " + name + " has no attribute " + attribute
                        + " (is it an older corrosion-jdbc?)");
            }
        }
        List<SiteVersion> versions = new ArrayList<>();
        for (String line : (String[]) values.remove("SiteVersions")) {
            versions.add(SiteVersion.parse(line));
        }
        List<String> members = List.of((String[]) values.remove("Members"));
        String siteId = (String) values.remove("SiteId");
        String address = (String) values.remove("Address");
        return new NodeStatus(name.getKeyProperty("name") == null ? name.toString()
                : ObjectName.unquote(name.getKeyProperty("name")), target, siteId, address, members, versions, values);
    }

    long figure(String attribute) {
        return ((Number) figures.get(attribute)).longValue();
    }

    /** This node's head of a site, 0 if it has nothing of it. */
    long head(String site) {
        for (SiteVersion v : versions) {
            if (v.siteId().equals(site)) {
                return v.head();
            }
        }
        return 0;
    }
}
