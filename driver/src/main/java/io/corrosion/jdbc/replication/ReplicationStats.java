package io.corrosion.jdbc.replication;

/**
 * A snapshot of a database file's replication: counters since the agent started, and gauges (current values). What
 * {@code CorrosionConnection.replicationStats()} returns and the JMX MBean {@code io.corrosion:type=Replication}
 * shows.
 *
 * @param siteId                   this node's site id (32 hex digits)
 * @param address                  where peers reach this node
 * @param membersAlive             other members alive, suspected and down (dead or left, until forgotten)
 * @param changesetsBroadcast      local changesets handed to gossip
 * @param broadcastsDropped        local changesets gossip could not take (queue full): peers get them by sync
 * @param changesetsReceived       changesets received from peers, by broadcast (first copies) and by sync
 * @param changesetsApplied        received changesets stored as new
 * @param changesetsRejected       received changesets refused as malformed (not stored, not forwarded)
 * @param syncRounds               sync sessions completed
 * @param localVersionsPublished   local transactions read back and handed to gossip
 * @param publishBacklog           local transactions committed and not handed to gossip yet
 * @param walFlushes               flushes of the WAL file that put local commits on disk before they left the node
 * @param walFlushMillis           their time, in all: local commits wait for them before they leave
 * @param walFlushMaxMillis        the longest of them: on a disk that stalls, as long as the stall (a flush of a
 *                                 second or more is also logged at WARN)
 * @param checkpoints              WAL checkpoints run (on a thread of their own: they hold back no commit)
 * @param checkpointMillis         their time, in all; each syncs the database file
 * @param checkpointMaxMillis      the longest of them
 * @param walPages                 pages in the WAL file at the last checkpoint (4 KiB each by default); SQLite starts
 *                                 the WAL over only while no reader reads from it, so under steady load it grows and
 *                                 falls back, and at 10,000 pages a commit checkpoints itself
 * @param remoteVersionsApplied    remote transactions committed here
 * @param applyTransactions        apply transactions committed
 * @param busyRetries              times the agent waited for the write lock an application held
 * @param applyYields              apply transactions ended before the rest of their batch to let an application
 *                                 writer waiting for the write lock in
 * @param writerLockWaits          application statements (in this JVM) that waited for the write lock
 * @param writerLockWaitMillis     how long they waited, in all
 * @param applyLockMillis          how long the agent's transactions (applies, and the few writes of its own
 *                                 bookkeeping) held the file's write lock, in all, each added when it ends: its growth
 *                                 over a span of time, divided by the span, is the share of it in which an application
 *                                 write would find the lock taken by the agent
 * @param applyLockCpuMillis       of that time, how long the agent's thread ran on a core; the rest it waited for a
 *                                 core (or the disk) while it held the lock: much less than {@code applyLockMillis}
 *                                 means the machine's cores are busy and stretch the agent's transactions
 * @param applyQueue               received changesets waiting to be applied
 * @param applyLagMillis           how long the oldest of them has waited
 * @param broadcastQueue           local changesets waiting for the protocol thread
 * @param syncSessions             sync sessions open
 * @param missingVersions          versions of other sites known to be missing here (gaps and partial versions)
 * @param ownSiteBehind            sync sessions whose peer held versions of this node's own site beyond this file's:
 *                                 the file is older than its site's history (restored from a backup, or copied to
 *                                 start another node), and its new commits take versions peers already have and drop;
 *                                 logged as an ERROR. Should be 0
 * @param siteIdShared             messages that showed another node running with this node's site id: one file is a
 *                                 copy of the other, and both nodes' commits take the same versions; logged as an
 *                                 ERROR. Should be 0
 * @param pendingChanges           changes kept until their table or column exists here
 * @param changesMergedAfterSchema kept changes merged once their schema arrived
 * @param pendingChangesRefused    received changesets refused because the changes kept for a missing schema had
 *                                 reached their bound (also counted in {@code changesetsRejected})
 * @param droppedSchemaChanges     changes kept of tables or columns this node dropped, which nodes not migrated yet
 *                                 wrote: outside the bound and {@code pendingChanges}, passed on to peers that ask
 * @param listenerQueue            change events waiting for the listeners
 * @param listenerEventsDropped    change events dropped because listeners fell behind
 * @param listenerErrors           exceptions change listeners threw
 * @param latencyLastMillis        commit-to-applied time of the last remote transaction (origin clock vs ours)
 * @param latencyMeanMillis        its mean since start
 * @param latencyMaxMillis         its maximum since start
 */
public record ReplicationStats(
        String siteId,
        String address,
        int membersAlive,
        int membersSuspect,
        int membersDown,
        long changesetsBroadcast,
        long broadcastsDropped,
        long changesetsReceived,
        long changesetsApplied,
        long changesetsRejected,
        long syncRounds,
        long localVersionsPublished,
        long publishBacklog,
        long walFlushes,
        long walFlushMillis,
        long walFlushMaxMillis,
        long checkpoints,
        long checkpointMillis,
        long checkpointMaxMillis,
        long walPages,
        long remoteVersionsApplied,
        long applyTransactions,
        long busyRetries,
        long applyYields,
        long writerLockWaits,
        long writerLockWaitMillis,
        long applyLockMillis,
        long applyLockCpuMillis,
        int applyQueue,
        long applyLagMillis,
        int broadcastQueue,
        int syncSessions,
        long missingVersions,
        long ownSiteBehind,
        long siteIdShared,
        long pendingChanges,
        long changesMergedAfterSchema,
        long pendingChangesRefused,
        long droppedSchemaChanges,
        int listenerQueue,
        long listenerEventsDropped,
        long listenerErrors,
        long latencyLastMillis,
        long latencyMeanMillis,
        long latencyMaxMillis) {
}
