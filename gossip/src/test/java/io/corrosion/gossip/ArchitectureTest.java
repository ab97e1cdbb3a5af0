package io.corrosion.gossip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Gossip knows nothing of SQL; the protocol cores, the codec and the simulation know nothing of netty. */
class ArchitectureTest {

    private static final JavaClasses GOSSIP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.corrosion.gossip");

    @Test
    void gossipNeverUsesJavaSql() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .check(GOSSIP);
    }

    @Test
    void coresNeverUseNetty() {
        noClasses().that().resideInAnyPackage("io.corrosion.gossip", "io.corrosion.gossip.membership..",
                        "io.corrosion.gossip.broadcast..", "io.corrosion.gossip.sync..", "io.corrosion.gossip.wire..",
                        "io.corrosion.gossip.store..", "io.corrosion.gossip.core..", "io.corrosion.gossip.sim..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GOSSIP);
    }

    @Test
    void theRuntimeUsesTheTransportContractNotNetty() {
        noClasses().that().resideInAPackage("io.corrosion.gossip.runtime..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GOSSIP);
    }

    @Test
    void coresHaveNoThreadsNorClocks() {
        noClasses().that().resideInAnyPackage("io.corrosion.gossip.membership..", "io.corrosion.gossip.broadcast..",
                        "io.corrosion.gossip.sync..", "io.corrosion.gossip.core..")
                .should().dependOnClassesThat().belongToAnyOf(Thread.class, java.util.concurrent.Executor.class,
                        java.time.Clock.class, java.time.Instant.class)
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(GOSSIP);
    }
}
