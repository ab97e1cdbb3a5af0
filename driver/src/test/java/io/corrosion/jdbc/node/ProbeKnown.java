package io.corrosion.jdbc.node;

import java.util.Arrays;
import java.util.List;

/**
 * Known, documented differences between a node and plain SQLite that {@link RandomSchemaProbeTest} steers clear of, so
 * that a failure means something new. {@code -Dfuzz.known=planOrder,intKeys} (or {@code all}) lets the generator
 * write such statements again, to see whether one is gone.
 */
enum ProbeKnown {
    /** Several rows of one UPDATE colliding under OR FAIL / OR IGNORE: which are written follows the query plan. */
    PLAN_ORDER("planOrder"),
    /** Dropping a table's only column: plain SQLite refuses it, the node (hidden key) does it. */
    DROP_ONLY_COLUMN("dropOnlyColumn"),
    /** INT and BIGINT PRIMARY KEY: the node declares them INTEGER, a rowid alias checked before other constraints. */
    INT_KEYS("intKeys"),
    /**
     * A STRICT table gets values of other types: a type error mid-statement keeps the rows before it on SQLite, the
     * node rolls the statement back; with a UNIQUE, INSERT OR IGNORE of a taken key with a wrongly typed value.
     */
    STRICT_TYPES("strictTypes"),
    /**
     * DROP TABLE of a table a trigger writes into: the stale trigger makes INSERTs into tables with a UNIQUE fail, and
     * one written while its target had no key fails after the table is made again with one.
     */
    STALE_TRIGGER("staleTrigger"),
    /**
     * A FOREIGN KEY whose parent is gone (found by this probe; the REPLACE case of seed 9008 is fixed, see
     * ForeignKeyReplaceLikeSqliteTest). (1) A table made again under the parent's name without the key the FOREIGN KEY
     * names (seed 9211): a one-row INSERT into it fails on the node with {@code foreign key mismatch}, as it does in
     * plain SQLite once the table has an INSERT trigger: SQLite looks for the parent key only in statements that may
     * write more rows than one, and the capture triggers make every INSERT into a CRR one (pinned:
     * ForeignKeyMismatchTest). (2) A child with a UNIQUE besides its key whose parent was dropped (seed 9470): plain
     * SQLite compiles a REPLACE's delete, and its look-up of the parent ({@code no such table}), into every statement
     * whose UNIQUE may REPLACE, even one that writes no row; the node's checks delete through
     * {@code crsql_internal_replace_delete} only when a row collides, so such a statement runs.
     */
    DANGLING_FOREIGN_KEY("danglingForeignKey"),
    /**
     * An UPSERT on a UNIQUE constraint whose rows (several VALUES, a select) share new values (found by this probe,
     * seed 9648): on the node the later row collides with the earlier one, which SQLite would update.
     */
    UPSERT_SAME_VALUES("upsertSameValues"),
    /**
     * An UPSERT on a UNIQUE constraint of a table with a BEFORE INSERT trigger (found by this probe, seed 31062): the
     * node runs it on the key of the row it updates, and the trigger sees that key in NEW where SQLite shows the key
     * the row brought.
     */
    UPSERT_BEFORE_INSERT("upsertBeforeInsert"),
    /**
     * A BEFORE INSERT or UPDATE trigger that reads a generated column of NEW (found by this probe, seed 21216): SQLite
     * computes it for a BEFORE trigger only when the statement reads the columns it is computed from anyway (they are
     * SET, or another trigger reads them from NEW), and leaves it NULL otherwise. The node's UNIQUE checks are triggers
     * that read the row's columns, so on a table with a UNIQUE the trigger sees the computed value. (The SQL standard
     * forbids such a reference.)
     */
    BEFORE_TRIGGER_GENERATED("beforeGenerated");

    private final String name;

    ProbeKnown(String name) {
        this.name = name;
    }

    /** Whether {@code fuzz.known} (or {@code fuzz.intKeys}, its older name for {@link #INT_KEYS}) lets it be written. */
    boolean allowed() {
        List<String> named = Arrays.asList(System.getProperty("fuzz.known", "").split(","));
        return named.contains(name) || named.contains("all") || this == INT_KEYS && Boolean.getBoolean("fuzz.intKeys");
    }
}
