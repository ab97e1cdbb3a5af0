package io.corrosion.jdbc.keys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.corrosion.jdbc.CapturedLogs;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.Reentrant;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/** How a node gets its slot, and the rule when two nodes claim the same one. */
class SlotClaimsTest {
    private static final byte[] LOW = HexFormat.of().parseHex("01000000000000000000000000000000");
    private static final byte[] HIGH = HexFormat.of().parseHex("f0000000000000000000000000000000");

    @TempDir
    Path dir;
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(SlotClaims.class);

    @AfterEach
    void release() {
        CorrosionDriver.shutdownAll();
    }

    private SQLiteConnection raw(String file) throws SQLException {
        SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
        KeysSchema.create(c);
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static void claim(Connection c, int slot, byte[] siteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert or replace into __corrosion_node_slots (slot, site_id, claimed_at) values (?, ?, 1)")) {
            ps.setInt(1, slot);
            ps.setBytes(2, siteId);
            ps.executeUpdate();
        }
    }

    private static Map<Integer, String> claims(Connection c) throws SQLException {
        return SlotClaims.claims((SQLiteConnection) c).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> HexFormat.of().formatHex(e.getValue().siteId())));
    }

    @Test
    void lowerSiteIdKeepsTheSlot() {
        assertThat(SlotClaims.keepsSlot(LOW, HIGH)).isTrue();
        assertThat(SlotClaims.keepsSlot(HIGH, LOW)).isFalse();
        // unsigned: 0x80 sorts above 0x7f, as SQLite compares BLOBs
        assertThat(SlotClaims.keepsSlot(new byte[] {0x7f}, new byte[] {(byte) 0x80})).isTrue();
    }

    @Test
    void preferredSlotIsAStableHashAndProbingSkipsTakenSlots() {
        assertThat(SlotClaims.preferredSlot(LOW)).isEqualTo(SlotClaims.preferredSlot(LOW.clone())).isBetween(0, 1023);
        assertThat(SlotClaims.probe(1022, Set.of(1022, 1023))).isZero();
        assertThat(SlotClaims.probe(5, Set.of())).isEqualTo(5);
        assertThat(SlotClaims.probe(0, IntStream.range(0, 1024).boxed().collect(Collectors.toSet()))).isEqualTo(-1);
    }

    @Test
    void newNodeClaimsItsPreferredSlotUnlessAnotherSiteHoldsIt() throws SQLException {
        int preferred = SlotClaims.preferredSlot(LOW);
        try (SQLiteConnection c = raw("a.db")) {
            claim(c, preferred, HIGH);
            NodeSlot slot = SlotClaims.establish(c, LOW, Optional.empty(), 7);
            assertThat(slot).isEqualTo(new NodeSlot((preferred + 1) % 1024, false));
            assertThat(claims(c)).containsEntry(slot.slot(), HexFormat.of().formatHex(LOW));
            // established again (a restart): the same slot
            assertThat(SlotClaims.establish(c, LOW, Optional.empty(), 8)).isEqualTo(slot);
        }
    }

    @Test
    void configuredSlotWinsAndFreesTheClaimedOne() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot claimed = SlotClaims.establish(c, LOW, Optional.empty(), 1);
            int configured = (claimed.slot() + 10) % 1024;
            assertThat(SlotClaims.establish(c, LOW, Optional.of(configured), 2)).isEqualTo(new NodeSlot(configured, true));
            assertThat(claims(c)).containsOnlyKeys(configured);
        }
    }

    @Test
    void higherSiteIdMovesToANewSlotAndLogsTheRisk() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, HIGH, Optional.empty(), 1);
            claim(c, ours.slot(), LOW); // a merged claim by a site with a lower id
            NodeSlot moved = SlotClaims.resolveConflict(c, ours, HIGH, new SlotClaims.Claim(LOW, false), 2);
            assertThat(moved.slot()).isNotEqualTo(ours.slot());
            assertThat(claims(c)).containsEntry(ours.slot(), HexFormat.of().formatHex(LOW))
                    .containsEntry(moved.slot(), HexFormat.of().formatHex(HIGH));
            assertThat(logs.events()).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).contains("slot " + moved.slot(), "merge into one",
                        HexFormat.of().formatHex(LOW));
            });
        }
    }

    @Test
    void lowerSiteIdKeepsItsSlotAndWritesItsClaimAgain() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, LOW, Optional.empty(), 1);
            claim(c, ours.slot(), HIGH); // last-writer-wins replication let the other claim overwrite ours
            assertThat(SlotClaims.resolveConflict(c, ours, LOW, new SlotClaims.Claim(HIGH, false), 2)).isEqualTo(ours);
            assertThat(claims(c)).containsEntry(ours.slot(), HexFormat.of().formatHex(LOW));
            assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR));
        }
    }

    /** Else neither would move: the configured node never does, and the claiming one has the lower site id. */
    @Test
    void lowerSiteIdMovesOffASlotAnotherNodeHasConfigured() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, LOW, Optional.empty(), 1);
            NodeSlot moved = SlotClaims.resolveConflict(c, ours, LOW, new SlotClaims.Claim(HIGH, true), 2);
            assertThat(moved.slot()).isNotEqualTo(ours.slot());
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("configured (node-slot)"));
        }
    }

    @Test
    void configuredSlotIsKeptEvenAgainstALowerSiteIdButLoggedAsAnError() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, HIGH, Optional.of(9), 1);
            assertThat(SlotClaims.resolveConflict(c, ours, HIGH, new SlotClaims.Claim(LOW, false), 2)).isEqualTo(ours);
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR));
        }
    }

    /** A conflicting claim found at startup (merged while the node was down) is settled by the same rule. */
    @Test
    void conflictFoundAtStartupIsSettled() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, HIGH, Optional.empty(), 1);
            claim(c, ours.slot(), LOW);
            NodeSlot after = SlotClaims.establish(c, HIGH, Optional.empty(), 2);
            assertThat(after.slot()).isNotEqualTo(ours.slot());
            assertThat(SlotClaims.establish(c, HIGH, Optional.empty(), 3)).isEqualTo(after);
        }
    }

    /** Switching the site id source (to the CRR engine's) moves the node's claims to the new site id. */
    @Test
    void newIdentityTakesOverTheClaims() throws SQLException {
        try (SQLiteConnection c = raw("a.db")) {
            NodeSlot ours = SlotClaims.establish(c, LOW, Optional.empty(), 1);
            assertThat(SlotClaims.establish(c, HIGH, Optional.empty(), 2)).isEqualTo(ours);
            assertThat(claims(c)).containsExactly(Map.entry(ours.slot(), HexFormat.of().formatHex(HIGH)));
        }
    }

    /** Through the driver: the node claims a slot on first open, keeps it, and its keys use it. */
    @Test
    void driverClaimsOnFirstOpenAndKeysUseTheClaim() throws SQLException {
        String url = "jdbc:corrosion:" + dir.resolve("claim.db");
        int slot;
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "create table t (id integer primary key)");
            exec(c, "insert into t default values");
            try (ResultSet rs = c.createStatement().executeQuery(
                    "select slot, (select id from t) from __corrosion_node_slots")) {
                rs.next();
                slot = rs.getInt(1);
                assertThat(IdScheme.slotOf(rs.getLong(2))).isEqualTo(slot);
            }
        }
        CorrosionDriver.shutdownAll();
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "insert into t default values");
            try (ResultSet rs = c.createStatement().executeQuery("select max(id) from t")) {
                rs.next();
                assertThat(IdScheme.slotOf(rs.getLong(1))).isEqualTo(slot);
            }
        }
    }

    /** The replication layer's entry point applies the rule, and the allocator follows the new slot. */
    @Test
    void mergedConflictingClaimMovesTheAllocator() throws SQLException {
        try (SQLiteConnection c = (SQLiteConnection) DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"))) {
            NodeSlots slots = new NodeSlots(NodeIdentity.OWN, Optional.empty());
            assertThat(slots.establish(c)).isTrue();
            Reservations reservations = new Reservations();
            KeyAllocator allocator = new KeyAllocator(reservations, slots);
            ConnectionKeys keys = new ConnectionKeys(c, reservations, () -> {}, () -> {}, new KeyTables.SchemaReader() {
                @Override
                public <T> T read(KeyTables.SchemaRead<T> read) throws SQLException {
                    return Reentrant.run(c, () -> read.read(c));
                }
            }, slots);
            KeyTargets targets = new KeyTargets();
            KeyFunctions.register(keys, targets, (k, table) -> null, allocator, new GeneratorBlocks(reservations, slots));
            exec(c, "create table t (id integer primary key)");
            int handle = targets.register("t", "id", Long.MAX_VALUE).handle();
            String insert = "insert into t (id) values (__corrosion_key(" + handle + ", null))";
            exec(c, insert);
            int before = slots.current();
            byte[] lower = new byte[16]; // all zeros: no random site id is lower
            claim(c, before, lower);
            NodeSlot after = slots.claimMerged(keys, before, new SlotClaims.Claim(lower, false));
            assertThat(after.slot()).isNotEqualTo(before).isEqualTo(slots.current(keys));
            exec(c, insert);
            try (ResultSet rs = c.createStatement().executeQuery("select id from t order by rowid")) {
                rs.next();
                assertThat(IdScheme.slotOf(rs.getLong(1))).isEqualTo(before);
                rs.next();
                assertThat(IdScheme.slotOf(rs.getLong(1))).isEqualTo(after.slot());
            }
            assertThat(slots.claimMerged(keys, after.slot(), new SlotClaims.Claim(slots.siteId(), false))).as("our own claim").isEqualTo(after);
        }
    }
}
