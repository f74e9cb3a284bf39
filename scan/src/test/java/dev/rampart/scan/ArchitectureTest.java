package dev.rampart.scan;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The scanner never deserializes what it scans, and format analysers stay independent of the façade. */
class ArchitectureTest {
  private final com.tngtech.archunit.core.domain.JavaClasses classes =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rampart");

  @Test
  void nothingUsesJavaDeserializationOrStartsProcesses() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould().callMethod(Runtime.class, "exec", String.class)
        .check(classes);
  }

  @Test
  void analysersDoNotDependOnTheScannerFacade() {
    noClasses().that().resideInAnyPackage("dev.rampart.scan.(*)..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.rampart.scan.Scanner")
        .check(classes);
  }

  @Test
  void coreDependsOnNoEngine() {
    noClasses().that().resideInAPackage("dev.rampart.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.scan..", "dev.rampart.cli..")
        .check(classes);
  }
}
