package io.corrosion.examples.spring;

import io.corrosion.jdbc.replication.ClusterMember;
import io.corrosion.jdbc.replication.ReplicationStats;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notes} writes on this instance and answers with the note and a {@code Corrosion-Token} header;
 * {@code GET /notes/{id}} with that header (on any instance) first waits until the instance has the write: read your
 * writes across instances. {@code GET /notes} lists, {@code GET /cluster} shows members and replication figures.
 */
@RestController
public class NotesController {
    static final String TOKEN = "Corrosion-Token";
    private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(5);

    private final NoteRepository notes;
    private final Cluster cluster;

    public NotesController(NoteRepository notes, Cluster cluster) {
        this.notes = notes;
        this.cluster = cluster;
    }

    public record NewNote(String author, String text) {}

    @PostMapping("/notes")
    public ResponseEntity<Note> create(@RequestBody NewNote body) throws SQLException {
        if (body.author() == null || body.text() == null) {
            return ResponseEntity.badRequest().build();
        }
        Note saved = notes.save(new Note(body.author(), body.text()));
        return ResponseEntity.status(HttpStatus.CREATED).header(TOKEN, cluster.lastCommitToken()).body(saved);
    }

    @GetMapping("/notes")
    public List<Note> all() {
        return notes.findAll();
    }

    @GetMapping("/notes/{id}")
    public ResponseEntity<Note> one(@PathVariable long id, @RequestHeader(name = TOKEN, required = false) String token)
            throws SQLException {
        if (token != null && !cluster.awaitVersion(token, READ_YOUR_WRITES_WAIT)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build(); // not here yet: retry later
        }
        return ResponseEntity.of(notes.findById(id));
    }

    @GetMapping("/cluster")
    public Map<String, Object> cluster() throws SQLException {
        List<ClusterMember> members = cluster.members();
        ReplicationStats stats = cluster.stats().orElse(null);
        return Map.of("members", members, "stats", stats == null ? Map.of() : stats);
    }
}
