package io.corrosion.jdbc.chaos;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.crr.SqlValues;

/**
 * One clock entry a node's commit produced, as read back from {@code crsql_changes} right after the commit: what the
 * application was told is written. {@code commitIndex} orders a node's commits (across its restarts).
 *
 * @param acknowledged false for a write whose commit outcome the application never learned (in flight at a crash):
 *                     it may be absent, but anything of it that is present is no phantom
 */
public record AckedWrite(String node, long commitIndex, Change change, boolean acknowledged) {

    /** The change's origin identity: site, db version, seq. */
    public String identity() {
        return identity(change);
    }

    static String identity(Change c) {
        return SqlValues.hex(c.siteId()) + "@" + c.dbVersion() + "." + c.seq();
    }

    @Override
    public String toString() {
        Change c = change;
        return node + "#" + commitIndex + (acknowledged ? "" : "(in flight)") + " " + Histories.describe(c);
    }
}
