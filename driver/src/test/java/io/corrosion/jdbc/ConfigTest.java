package io.corrosion.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void parsesEveryPropertyFromTheUrl() throws SQLException {
        CorrosionConfig c = CorrosionConfig.parse("jdbc:corrosion:/data/app.db?bind=10.0.0.5:7400"
                + "&seeds=10.0.0.6:7400,%5B::1%5D:7401&tls.ca=/etc/ca.pem&tls.cert=/etc/n.pem&tls.key=/etc/n.key"
                + "&tls.insecure=false&merge-equal-values=true&local-tables=Person_SEQ,scratch&sync-interval=500ms"
                + "&handover-timeout=0s&fanout=4&journal_mode=wal&busy_timeout=100&synchronous=full&foreign_keys=true", null);
        CorrosionConfig.NodeSettings n = c.node();
        assertThat(c.path()).isEqualTo("/data/app.db");
        assertThat(n.bind()).contains(new HostPort("10.0.0.5", 7400));
        assertThat(n.seeds()).containsExactly(new HostPort("10.0.0.6", 7400), new HostPort("::1", 7401));
        assertThat(n.tlsCa()).contains("/etc/ca.pem");
        assertThat(n.mergeEqualValues()).isTrue();
        assertThat(n.isLocalTable("person_seq")).isTrue();
        assertThat(n.syncInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(n.handoverTimeout()).as("zero: leave without the handover").isZero();
        assertThat(n.fanout()).isEqualTo(4);
        assertThat(c.sqliteProperties()).containsEntry("journal_mode", "WAL").containsEntry("busy_timeout", "100")
                .containsEntry("synchronous", "FULL").containsEntry("foreign_keys", "true");
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() throws SQLException {
        CorrosionConfig c = CorrosionConfig.parse("jdbc:corrosion:app.db", new Properties());
        assertThat(c.node().bind()).isEmpty();
        assertThat(c.node().seeds()).isEmpty();
        assertThat(c.node().fanout()).isEqualTo(8);
        assertThat(c.node().syncInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.node().handoverTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sqliteProperties()).containsEntry("journal_mode", "WAL").containsEntry("synchronous", "NORMAL")
                .containsEntry("busy_timeout", "5000");
    }

    @Test
    void propertiesWinOverTheUrl() throws SQLException {
        Properties p = new Properties();
        p.setProperty("fanout", "3");
        p.setProperty("busy_timeout", "7");
        CorrosionConfig c = CorrosionConfig.parse("jdbc:corrosion:app.db?fanout=5&busy_timeout=9", p);
        assertThat(c.node().fanout()).isEqualTo(3);
        assertThat(c.sqliteProperties()).containsEntry("busy_timeout", "7");
    }

    @Test
    void unknownKeyIsRefusedNamingTheKeyAndTheAllowedOnes() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:corrosion::memory:?fanuot=3"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("'fanuot'").hasMessageContaining("fanout").hasMessageContaining("journal_mode")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndWhatIsAllowed() {
        String[][] cases = {
            {"fanout=0", "'fanout'", "from 1 to 64"},
            {"fanout=many", "'fanout'", "integer"},
            {"bind=nohost", "'bind'", "host:port"},
            {"bind=host:99999", "'bind'", "host:port"},
            {"seeds=a:1,b", "'seeds'", "host:port"},
            {"tls.insecure=yes", "'tls.insecure'", "true or false"},
            {"sync-interval=soon", "'sync-interval'", "duration"},
            {"sync-interval=0s", "'sync-interval'", "positive"},
            {"handover-timeout=-1s", "'handover-timeout'", "zero (0s) or a duration"},
            {"handover-timeout=later", "'handover-timeout'", "duration"},
            {"journal_mode=fast", "'journal_mode'", "WAL"},
            {"synchronous=sometimes", "'synchronous'", "NORMAL"},
            {"busy_timeout=-1", "'busy_timeout'", "integer"},
            {"locking_mode=shared", "'locking_mode'", "EXCLUSIVE"},
            // sqlite-jdbc drops or ignores a bad number without a word
            {"cache_size=abc", "'cache_size'", "whole number"},
            {"page_size=abc", "'page_size'", "whole number"},
            {"mmap_size=1e9", "'mmap_size'", "whole number"},
            {"journal_size_limit=big", "'journal_size_limit'", "whole number"},
            {"limit_attached=x", "'limit_attached'", "whole number"},
            {"open_mode=abc", "'open_mode'", "whole number"},
            {"seeds=127.0.0.1:0", "'seeds'", "ports from 1"},
            {"sync-interval=PT2562047788015215H", "'sync-interval'", "up to a day"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:corrosion::memory:?" + c[0]))
                    .as(c[0]).isInstanceOf(SQLException.class)
                    .hasMessageContaining(c[1]).hasMessageContaining(c[2])
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        }
    }

    @Test
    void sqliteJdbcUrlKeepsWorkingWithTheNewPrefix() throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:corrosion::memory:?foreign_keys=true&cache_size=2000"
                + "&date_class=TEXT&transaction_mode=IMMEDIATE")) {
            try (var rs = c.createStatement().executeQuery("pragma foreign_keys")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void fileUrisKeepSqliteUriParameters() throws Exception {
        Path dir = Files.createTempDirectory("corrosion-uri");
        try (var c = DriverManager.getConnection("jdbc:corrosion:file:" + dir.resolve("u.db") + "?mode=rwc&busy_timeout=10")) {
            c.createStatement().executeUpdate("create table t (id integer primary key)");
            assertThat(c.unwrap(CorrosionConnection.class).databasePath())
                    .contains(dir.resolve("u.db").toFile().getCanonicalPath());
        } finally {
            CorrosionDriver.shutdownAll();
            TestFiles.deleteTree(dir);
        }
        assertThat(CorrosionConfig.parse("jdbc:corrosion:file:mem?mode=memory&cache=shared", null).inMemory()).isTrue();
    }

    /**
     * One file, one key, however its URL spells it: SQLite opens {@code file://localhost/p} as {@code /p}, and a
     * {@code +} is a plus (a key that differs gives one file a second agent and key allocator; one that is the same
     * for two files mixes them up).
     */
    @Test
    void theDatabaseKeyFollowsSqlitesReadingOfTheFile() throws Exception {
        String key = CorrosionConfig.parse("jdbc:corrosion:/tmp/d/one.db", null).databaseKey().orElseThrow();
        for (String spelling : new String[] {"file:/tmp/d/one.db", "file:///tmp/d/one.db", "file://localhost/tmp/d/one.db",
            "file://LOCALHOST/tmp/d/one.db?mode=rwc", "file:/tmp/d/%6Fne.db"}) {
            assertThat(CorrosionConfig.parse("jdbc:corrosion:" + spelling, null).databaseKey()).as(spelling)
                    .contains(key);
        }
        assertThat(CorrosionConfig.parse("jdbc:corrosion:file:/tmp/d/a+b.db", null).databaseKey())
                .contains(new java.io.File("/tmp/d/a+b.db").getCanonicalPath());
        assertThat(CorrosionConfig.parse("jdbc:corrosion::memory:?tls.ca=/etc/c+c/ca.pem", null).node().tlsCa())
                .contains("/etc/c+c/ca.pem");
        assertThatThrownBy(() -> CorrosionConfig.parse("jdbc:corrosion:file://otherhost/tmp/d/one.db", null)
                .databaseKey()).hasMessageContaining("otherhost")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void getPropertyInfoReportsTheUrlsValuesUnderTheProperties() throws SQLException {
        Properties p = new Properties();
        p.setProperty("sync-interval", "2s");
        DriverPropertyInfo[] info = new CorrosionDriver().getPropertyInfo(
                "jdbc:corrosion:x.db?fanout=3&sync-interval=9s&cache_size=100", p);
        var byName = Arrays.stream(info).collect(java.util.stream.Collectors.toMap(i -> i.name, i -> i));
        assertThat(byName.get("fanout").value).isEqualTo("3");
        assertThat(byName.get("sync-interval").value).as("properties win").isEqualTo("2s");
        assertThat(byName.get("cache_size").value).isEqualTo("100");
    }

    @Test
    void acceptsOnlyCorrosionUrls() {
        CorrosionDriver d = new CorrosionDriver();
        assertThat(d.acceptsURL("jdbc:corrosion:/x.db")).isTrue();
        assertThat(d.acceptsURL("jdbc:corrosion::memory:")).isTrue();
        assertThat(d.acceptsURL("jdbc:sqlite:/x.db")).isFalse();
        assertThat(d.acceptsURL("jdbc:corrosionx:/x.db")).isFalse();
        assertThat(d.acceptsURL(null)).isFalse();
    }

    @Test
    void getPropertyInfoListsEveryPropertyAndSqliteJdbcKeys() throws SQLException {
        DriverPropertyInfo[] info = new CorrosionDriver().getPropertyInfo("jdbc:corrosion:x.db", new Properties());
        var names = Arrays.stream(info).map(i -> i.name).toList();
        for (CorrosionProperty p : CorrosionProperty.values()) {
            assertThat(names).contains(p.key());
        }
        assertThat(names).contains("foreign_keys", "cache_size");
        DriverPropertyInfo journal = Arrays.stream(info).filter(i -> i.name.equals("journal_mode")).findFirst().orElseThrow();
        assertThat(journal.value).isEqualTo("WAL");
        assertThat(journal.choices).contains("WAL", "DELETE");
        assertThat(Arrays.stream(info).allMatch(i -> i.description != null && !i.description.isBlank())).isTrue();
    }

    @Test
    void dataSourceHasASetterForEveryProperty() {
        for (CorrosionProperty p : CorrosionProperty.values()) {
            String setter = "set" + Arrays.stream(p.key().split("[.\\-_]"))
                    .map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1))
                    .reduce("", String::concat);
            assertThat(Arrays.stream(CorrosionDataSource.class.getMethods()).map(Method::getName))
                    .as("CorrosionDataSource." + setter + " for " + p.key()).contains(setter);
        }
    }

    @Test
    void readmeTableIsTheEnum() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        String begin = "<!-- properties:begin (generated from CorrosionProperty; ConfigTest checks it) -->\n";
        String end = "<!-- properties:end -->";
        assertThat(text).contains(begin).contains(end);
        String table = text.substring(text.indexOf(begin) + begin.length(), text.indexOf(end));
        assertThat(table).as("README property table; regenerate it from CorrosionProperty.markdownTable()")
                .isEqualTo(CorrosionProperty.markdownTable());
    }
}
