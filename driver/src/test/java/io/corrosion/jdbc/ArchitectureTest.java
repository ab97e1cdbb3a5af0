package io.corrosion.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses driver = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.corrosion.jdbc");

    @Test
    void interceptorKnowsNothingOfTheProxies() {
        noClasses().that().resideInAPackage("..intercept..")
                .should().dependOnClassesThat().resideInAPackage("..proxy..")
                .check(driver);
    }

    @Test
    void driverNeverPrintsToTheConsole() {
        noClasses().should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(driver);
    }
}
