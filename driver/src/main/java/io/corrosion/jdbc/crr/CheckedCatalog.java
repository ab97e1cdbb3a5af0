package io.corrosion.jdbc.crr;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The CRRs of a file as a connection read them when it opened and found the file's schema in order (nothing changed
 * outside the engine to repair), at one schema version. A later connection that opens the file at that version takes
 * them as they are instead of reading and checking every table again: with tens of tables that was a quarter of the
 * cost of opening a connection. SQLite changes the version with every change of the schema, by any connection or
 * process, so a connection that opens at the same version sees the same schema. Kept with the file's journal: it ends
 * when the file is closed in this JVM.
 */
record CheckedCatalog(long schemaVersion, Map<String, TableInfo> byName, Map<Long, TableInfo> byId) {
    private static final Map<LocalJournal, CheckedCatalog> BY_FILE = Collections.synchronizedMap(new WeakHashMap<>());

    /** The catalog last offered for the journal's file; null if none (or an in-memory database). */
    static CheckedCatalog of(LocalJournal journal) {
        return journal.inMemory() ? null : BY_FILE.get(journal);
    }

    static void offer(LocalJournal journal, CheckedCatalog catalog) {
        if (!journal.inMemory()) {
            BY_FILE.put(journal, catalog);
        }
    }
}
