package org.rackboot.dhcp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's layering, checked on the compiled main classes: {@code wire} (the codec) below
 * {@code pxe} (the engine and its policy) below {@code mina} (the socket adapter), with no
 * package cycle, the protocol core free of MINA, and no framework of the api module inside.
 */
class PackageStructureTest {

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.rackboot.dhcp");
    // A wrong class path would make every rule below pass over nothing.
    assertThat(main.stream().map(JavaClass::getPackageName).collect(Collectors.toSet()))
        .contains("org.rackboot.dhcp.wire", "org.rackboot.dhcp.pxe", "org.rackboot.dhcp.mina");
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("org.rackboot.dhcp.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theCodecAndTheEngineDoNotDependOnMina() {
    // Both are tested without a socket and could sit under another transport.
    noClasses().that().resideInAnyPackage("org.rackboot.dhcp.wire..", "org.rackboot.dhcp.pxe..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.mina..")
        .check(main);
  }

  @Test
  void nothingDependsOnTheApiModuleOrItsFrameworks() {
    // The api module implements BootPolicy; the dependency points that way only.
    noClasses()
        .should().dependOnClassesThat().resideInAnyPackage(
            "com.fasterxml.jackson..", "org.jdbi..", "io.dropwizard..", "com.codahale.metrics..",
            "org.rackboot.api..")
        .check(main);
  }
}
