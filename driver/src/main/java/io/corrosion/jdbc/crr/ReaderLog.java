package io.corrosion.jdbc.crr;

import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/** What a process that reads a file another process writes (its node) does to the file's version log. */
public final class ReaderLog {
    private ReaderLog() {}

    /**
     * For a process that reads a file another process writes (its node): writes the version log entries that process
     * has not flushed yet, from the clock tables as crash recovery does, so that {@code crsql_changes} and
     * {@code crsql_db_version()} read here show every change committed so far. Leaves that process's clean-close mark
     * alone; what it flushes later is the same entries. {@code c}: a writable connection of the driver's own, not in a
     * transaction. Returns the entries written.
     */
    public static long logUnflushed(SQLiteConnection c) throws SQLException {
        if (CrrMetadata.localSiteIdIfAny(c) == null) {
            return 0; // not a file of this driver (yet)
        }
        return OwnTransaction.run(c, () -> {
            JournalRecovery.Found found = JournalRecovery.relog(c, new CrrCatalog(c).tables(), JournalMarks.read(c));
            try (Statements.OneUse statements = new Statements.OneUse(c)) {
                JournalMarks.write(statements, found.highest());
            }
            return found.entries();
        });
    }

}
