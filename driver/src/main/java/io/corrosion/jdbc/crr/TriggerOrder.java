package io.corrosion.jdbc.crr;

import io.corrosion.jdbc.TableTriggers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The order of a CRR's triggers, oldest first: the UNIQUE checks ({@link UniqueChecks}), the application's, the
 * capture ({@link CaptureTriggers}). SQLite fires the newest first, so as in SQLite the application's BEFORE triggers
 * run before the row's UNIQUE constraints are checked (their writes stay when the row is then ignored), and the
 * capture records the row before an application's AFTER trigger can fail (a row an {@code OR FAIL} statement keeps
 * replicates).
 */
final class TriggerOrder {
    private TriggerOrder() {}

    /** Puts the triggers of {@code table} in that order if they are not (making again those out of place). */
    static void settle(Connection c, String table) throws SQLException {
        TableTriggers.sort(c, table, TriggerOrder::rank);
    }

    private static int rank(String trigger) {
        if (UniqueChecks.isCheck(trigger)) {
            return 0;
        }
        return trigger.toLowerCase(Locale.ROOT).contains("__crsql_") ? 2 : 1;
    }
}
