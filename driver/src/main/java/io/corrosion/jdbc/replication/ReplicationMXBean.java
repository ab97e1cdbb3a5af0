package io.corrosion.jdbc.replication;

/**
 * JMX view of a database file's replication, registered as {@code io.corrosion:type=Replication,name="<file>"}
 * while its agent runs. Each attribute is the field of {@link ReplicationStats} of the same name, read when asked.
 */
public interface ReplicationMXBean {
    String getSiteId();

    String getAddress();

    int getMembersAlive();

    int getMembersSuspect();

    int getMembersDown();

    long getChangesetsBroadcast();

    long getBroadcastsDropped();

    long getChangesetsReceived();

    long getChangesetsApplied();

    long getChangesetsRejected();

    long getSyncRounds();

    long getLocalVersionsPublished();

    long getPublishBacklog();

    long getWalFlushes();

    long getWalFlushMillis();

    long getWalFlushMaxMillis();

    long getCheckpoints();

    long getCheckpointMillis();

    long getCheckpointMaxMillis();

    long getWalPages();

    long getRemoteVersionsApplied();

    long getApplyTransactions();

    long getBusyRetries();

    long getApplyYields();

    long getWriterLockWaits();

    long getWriterLockWaitMillis();

    long getApplyLockMillis();

    long getApplyLockCpuMillis();

    int getApplyQueue();

    long getApplyLagMillis();

    int getBroadcastQueue();

    int getSyncSessions();

    long getMissingVersions();

    long getOwnSiteBehind();

    long getSiteIdShared();

    long getPendingChanges();

    long getChangesMergedAfterSchema();

    long getPendingChangesRefused();

    long getDroppedSchemaChanges();

    int getListenerQueue();

    long getListenerEventsDropped();

    long getListenerErrors();

    long getLatencyLastMillis();

    long getLatencyMeanMillis();

    long getLatencyMaxMillis();

    /** The other members, one line each: {@code <site id> <address> <state> <since, ISO-8601>}. */
    String[] getMembers();

    /**
     * Versions per site as this node has them, one line each: {@code <site id> <head> <missing>} — this node's own
     * site first (its newest committed db version, nothing missing), then every remote site it has heard of (the
     * highest db version applied here and how many versions below it are still missing).
     */
    String[] getSiteVersions();
}
