package org.rackboot.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The api module's floors, checked on its compiled main classes: domain types (core) at the
 * bottom, persistence (db) and the caller's rights (auth) above them, services that own
 * transactions above those, HTTP plumbing, boot endpoints and REST resources above, wiring
 * (the top package) on the roof. Nothing points back up, and no package cycle exists.
 */
class PackageStructureTest {

  private static final String API = "org.rackboot.api";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(API);

  private static String[] allBut(String... own) {
    java.util.List<String> floors = new java.util.ArrayList<>(java.util.List.of("auth", "bmc",
        "boot", "cli", "config", "core", "db", "docs", "files", "health", "http", "metrics", "resources",
        "service"));
    floors.removeAll(java.util.List.of(own));
    return floors.stream().map(f -> API + "." + f + "..").toArray(String[]::new);
  }

  @Test
  void theClassesWereFound() {
    // A rule over nothing passes: make sure the import saw the module.
    org.assertj.core.api.Assertions.assertThat(MAIN.size()).isGreaterThan(100);
  }

  @Test
  void packagesFormNoCycle() {
    // "org.rackboot.(**)" makes the top package a slice of its own too.
    slices().matching("org.rackboot.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void domainTypesDependOnNoOtherFloor() {
    noClasses().that().resideInAPackage(API + ".core..")
        .should().dependOnClassesThat().resideInAnyPackage(allBut("core")).check(MAIN);
  }

  @Test
  void persistenceAndRightsSitOnTheDomainOnly() {
    noClasses().that().resideInAPackage(API + ".db..")
        .should().dependOnClassesThat().resideInAnyPackage(allBut("db", "core")).check(MAIN);
    noClasses().that().resideInAPackage(API + ".auth..")
        .should().dependOnClassesThat().resideInAnyPackage(allBut("auth", "core")).check(MAIN);
  }

  @Test
  void servicesKnowNoHttp() {
    noClasses().that().resideInAPackage(API + ".service..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(allBut("service", "db", "auth", "core", "config", "bmc"))
        .check(MAIN);
  }

  @Test
  void bmcDriversSitOnTheDomainOnly() {
    // Drivers talk to BMCs; who may ask them, and what is recorded, is the service's business.
    noClasses().that().resideInAPackage(API + ".bmc..")
        .should().dependOnClassesThat().resideInAnyPackage(allBut("bmc", "core")).check(MAIN);
  }

  @Test
  void nothingDependsOnTheWiring() {
    noClasses().that().resideOutsideOfPackage(API)
        .should().dependOnClassesThat().resideInAPackage(API).check(MAIN);
  }
}
