package io.corrosion.jdbc.node;

import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests whose writes run on plain sqlite-jdbc and on a node, each run on files of its own ({@link Node#sameAsPlain}). */
abstract class PlainDifferentialTest {
    @TempDir
    Path dir;
    /** The runs so far; the last one's files are named after it. */
    int runs;

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    /** {@link Node#sameAsPlain} on files of their own. */
    List<List<Object>> same(List<String> schema, List<String> setup, String query, String... writes) throws SQLException {
        return Node.sameAsPlain(dir, "run" + ++runs, schema, setup, query, writes);
    }
}
