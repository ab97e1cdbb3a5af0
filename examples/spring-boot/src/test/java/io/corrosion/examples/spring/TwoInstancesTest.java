package io.corrosion.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corrosion.gossip.MemberStatus;
import io.corrosion.jdbc.CorrosionConnection;
import io.corrosion.jdbc.CorrosionDriver;
import io.corrosion.jdbc.replication.ClusterMember;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Two instances of the notes service in one JVM, each with its own file, port and gossip address, configured by the
 * properties the README passes on the command line, and each with its own key slot: a note posted to instance 1 is read
 * from instance 2.
 */
class TwoInstancesTest {
    @TempDir
    static Path dir;

    static ConfigurableApplicationContext one;
    static ConfigurableApplicationContext two;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        one = instance("notes-1.db", "", 1);
        String address;
        try (Connection c = one.getBean(DataSource.class).getConnection()) {
            address = c.unwrap(CorrosionConnection.class).replicationStats().orElseThrow().address();
        }
        two = instance("notes-2.db", address, 2);
        // joined before the tests: a read on two waits only 5 s for a token (NotesController)
        await().atMost(Duration.ofSeconds(30)).until(() -> seesTheOtherAlive(one) && seesTheOtherAlive(two));
    }

    private static boolean seesTheOtherAlive(ConfigurableApplicationContext instance) throws Exception {
        try (Connection c = instance.getBean(DataSource.class).getConnection()) {
            List<ClusterMember> members = c.unwrap(CorrosionConnection.class).members();
            return members.size() == 1 && members.get(0).state() == MemberStatus.ALIVE;
        }
    }

    /** An instance, with its own key slot ({@code node-slot}) as the README's commands give it. */
    private static ConfigurableApplicationContext instance(String file, String seeds, int slot) {
        return new SpringApplicationBuilder(NotesApplication.class).run(
                "--notes.db=" + dir.resolve(file), "--notes.bind=127.0.0.1:0", "--notes.seeds=" + seeds,
                "--notes.port=0", "--notes.slot=" + slot);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {two, one}) {
            if (context != null) {
                context.close();
            }
        }
        CorrosionDriver.shutdownAll();
    }

    private static URI uri(ConfigurableApplicationContext instance, String path) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void aNotePostedToInstanceOneIsReadFromInstanceTwo() throws Exception {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(uri(one, "/notes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"ann\",\"text\":\"hello from one\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        long id = json.readTree(posted.body()).get("id").asLong();
        String token = posted.headers().firstValue(NotesController.TOKEN).orElseThrow();

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(uri(two, "/notes/" + id))
                .header(NotesController.TOKEN, token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode note = json.readTree(read.body());
        assertThat(note.get("author").asString()).isEqualTo("ann");
        assertThat(note.get("text").asString()).isEqualTo("hello from one");
        assertThat(note.get("id").asLong()).isEqualTo(id);

        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri(two, "/notes")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.body()).contains("hello from one");
    }

    @Test
    void bothInstancesWriteAndTheirIdsNeverMeet() throws Exception {
        long fromOne = post(one, "one");
        long fromTwo = post(two, "two");
        assertThat(fromOne).isNotEqualTo(fromTwo);
        assertThat((fromOne - 1) % 1024).isNotEqualTo((fromTwo - 1) % 1024); // different key slots
        assertThat(List.of((fromOne - 1) % 1024, (fromTwo - 1) % 1024)).as("the configured slots")
                .containsExactly(1L, 2L);
        JsonNode cluster = json.readTree(http.send(HttpRequest.newBuilder(uri(two, "/cluster")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(cluster.get("members")).hasSize(1);
        assertThat(cluster.get("members").get(0).get("state").asString()).isEqualTo("ALIVE");
    }

    private static long post(ConfigurableApplicationContext instance, String author) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(instance, "/notes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"" + author + "\",\"text\":\"t\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body()).get("id").asLong();
    }
}
