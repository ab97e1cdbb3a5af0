package io.corrosion.jdbc.node;

import io.corrosion.jdbc.Change;
import io.corrosion.jdbc.CorrosionDriver;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of nodes, each of its own file, connected by hand ({@link HandDelivery}); shut down after each test. */
abstract class HandDeliveredNodes {
    @TempDir
    Path dir;

    HandDelivery delivery;

    @BeforeEach
    void connect() {
        delivery = new HandDelivery(dir);
    }

    @AfterEach
    void shutdown() {
        CorrosionDriver.shutdownAll();
    }

    Node node(String name, int slot, String... extra) throws SQLException {
        return delivery.node(name, slot, extra);
    }

    List<Change> deliver(Node from, Node to) throws SQLException {
        return delivery.deliver(from, to);
    }
}
