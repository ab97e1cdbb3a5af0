package io.corrosion.gossip.transport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The transport contract stays free of netty; TLS material and the dev CA too; nothing here knows SQL. */
class TransportArchitectureTest {

    private static final JavaClasses GOSSIP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.corrosion.gossip.transport", "io.corrosion.gossip.tls");

    @Test
    void theTransportContractUsesNoNettyTypes() {
        noClasses().that().resideInAPackage("io.corrosion.gossip.transport")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GOSSIP);
    }

    @Test
    void tlsMaterialUsesNoNettyTypes() {
        noClasses().that().resideInAPackage("io.corrosion.gossip.tls")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GOSSIP);
    }

    @Test
    void onlyTheQuicImplementationKnowsNetty() {
        noClasses().that().resideOutsideOfPackage("io.corrosion.gossip.transport.quic")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(GOSSIP);
    }

    @Test
    void nothingKnowsSql() {
        noClasses().should().dependOnClassesThat().resideInAPackage("java.sql..").check(GOSSIP);
    }
}
