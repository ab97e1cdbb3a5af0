package io.corrosion.jdbc.replication;

import io.corrosion.gossip.LongRange;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's {@link ReplicationMXBean}: every attribute reads a fresh {@link ReplicationStats}. */
final class AgentMBean implements ReplicationMXBean {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMBean.class);

    private final ReplicationAgent agent;
    private ObjectName registered;

    AgentMBean(ReplicationAgent agent) {
        this.agent = agent;
    }

    static ObjectName objectName(String database) throws JMException {
        return new ObjectName("io.corrosion:type=Replication,name=" + ObjectName.quote(database));
    }

    synchronized void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = objectName(agent.name());
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            registered = name;
        } catch (JMException | RuntimeException e) {
            LOG.warn("[{}] cannot register the replication MBean: {}", agent.name(), e.toString());
        }
    }

    synchronized void unregister() {
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (JMException e) {
                LOG.debug("[{}] unregistering the replication MBean failed", agent.name(), e);
            }
            registered = null;
        }
    }

    private ReplicationStats s() {
        return agent.stats();
    }

    @Override public String getSiteId() { return s().siteId(); }
    @Override public String getAddress() { return s().address(); }
    @Override public int getMembersAlive() { return s().membersAlive(); }
    @Override public int getMembersSuspect() { return s().membersSuspect(); }
    @Override public int getMembersDown() { return s().membersDown(); }
    @Override public long getChangesetsBroadcast() { return s().changesetsBroadcast(); }
    @Override public long getBroadcastsDropped() { return s().broadcastsDropped(); }
    @Override public long getChangesetsReceived() { return s().changesetsReceived(); }
    @Override public long getChangesetsApplied() { return s().changesetsApplied(); }
    @Override public long getChangesetsRejected() { return s().changesetsRejected(); }
    @Override public long getSyncRounds() { return s().syncRounds(); }
    @Override public long getLocalVersionsPublished() { return s().localVersionsPublished(); }
    @Override public long getPublishBacklog() { return s().publishBacklog(); }
    @Override public long getWalFlushes() { return s().walFlushes(); }
    @Override public long getWalFlushMillis() { return s().walFlushMillis(); }
    @Override public long getWalFlushMaxMillis() { return s().walFlushMaxMillis(); }
    @Override public long getCheckpoints() { return s().checkpoints(); }
    @Override public long getCheckpointMillis() { return s().checkpointMillis(); }
    @Override public long getCheckpointMaxMillis() { return s().checkpointMaxMillis(); }
    @Override public long getWalPages() { return s().walPages(); }
    @Override public long getRemoteVersionsApplied() { return s().remoteVersionsApplied(); }
    @Override public long getApplyTransactions() { return s().applyTransactions(); }
    @Override public long getBusyRetries() { return s().busyRetries(); }
    @Override public long getApplyYields() { return s().applyYields(); }
    @Override public long getWriterLockWaits() { return s().writerLockWaits(); }
    @Override public long getWriterLockWaitMillis() { return s().writerLockWaitMillis(); }
    @Override public long getApplyLockMillis() { return s().applyLockMillis(); }
    @Override public long getApplyLockCpuMillis() { return s().applyLockCpuMillis(); }
    @Override public int getApplyQueue() { return s().applyQueue(); }
    @Override public long getApplyLagMillis() { return s().applyLagMillis(); }
    @Override public int getBroadcastQueue() { return s().broadcastQueue(); }
    @Override public int getSyncSessions() { return s().syncSessions(); }
    @Override public long getMissingVersions() { return s().missingVersions(); }
    @Override public long getOwnSiteBehind() { return s().ownSiteBehind(); }
    @Override public long getSiteIdShared() { return s().siteIdShared(); }
    @Override public long getPendingChanges() { return s().pendingChanges(); }
    @Override public long getChangesMergedAfterSchema() { return s().changesMergedAfterSchema(); }
    @Override public long getPendingChangesRefused() { return s().pendingChangesRefused(); }
    @Override public long getDroppedSchemaChanges() { return s().droppedSchemaChanges(); }
    @Override public int getListenerQueue() { return s().listenerQueue(); }
    @Override public long getListenerEventsDropped() { return s().listenerEventsDropped(); }
    @Override public long getListenerErrors() { return s().listenerErrors(); }
    @Override public long getLatencyLastMillis() { return s().latencyLastMillis(); }
    @Override public long getLatencyMeanMillis() { return s().latencyMeanMillis(); }
    @Override public long getLatencyMaxMillis() { return s().latencyMaxMillis(); }

    @Override
    public String[] getMembers() {
        return agent.members().stream()
                .map(m -> m.siteId() + " " + m.address() + " " + m.state() + " " + m.since())
                .toArray(String[]::new);
    }

    @Override
    public String[] getSiteVersions() {
        List<String> lines = new ArrayList<>();
        lines.add(agent.siteId() + " " + agent.localVersion() + " 0");
        agent.books().snapshot().forEach((site, v) -> {
            long missing = v.partialNeeds().size();
            for (LongRange gap : v.needed()) {
                missing += gap.length();
            }
            lines.add(site + " " + v.head() + " " + missing);
        });
        return lines.toArray(String[]::new);
    }
}
