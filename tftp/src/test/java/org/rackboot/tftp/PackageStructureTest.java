package org.rackboot.tftp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's layering, checked on its compiled main classes: mina (the request listener) uses
 * nio (the transfer engine), which uses the top package (TftpSource and the other boundary
 * types), transfer (the state machine) and wire (the codec); nothing points back up.
 */
class PackageStructureTest {

  private static final String MINA = "org.apache.mina..";
  private static final String LISTENER = "org.rackboot.tftp.mina..";
  private static final String ENGINE = "org.rackboot.tftp.nio..";

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.rackboot.tftp");

  @Test
  void packagesFormNoCycle() {
    // One slice per package, the top package included: "org.rackboot.tftp.(**)" would leave
    // org.rackboot.tftp itself out, and that is where the cycle through TftpMain used to close.
    slices().matching("org.rackboot.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void protocolCoreKnowsNoTransport() {
    // The codec and the state machine are tested without a socket (STYLE.md, 1 and 6).
    noClasses().that().resideInAnyPackage("org.rackboot.tftp.wire..",
            "org.rackboot.tftp.transfer..")
        .should().dependOnClassesThat().resideInAnyPackage(MINA, ENGINE, LISTENER)
        .check(MAIN);
  }

  @Test
  void transferEngineIsPlainNio() {
    noClasses().that().resideInAPackage(ENGINE)
        .should().dependOnClassesThat().resideInAnyPackage(MINA, LISTENER)
        .check(MAIN);
  }

  @Test
  void boundaryTypesDependOnNoServer() {
    // The api module implements TftpSource without pulling in the engine or the listener.
    noClasses().that().resideInAPackage("org.rackboot.tftp")
        .should().dependOnClassesThat().resideInAnyPackage(MINA, ENGINE, LISTENER)
        .check(MAIN);
  }
}
