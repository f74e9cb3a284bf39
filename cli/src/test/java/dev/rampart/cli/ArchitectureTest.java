package dev.rampart.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: core ← engines ← server ← cli. Engines do not know the server exists. */
class ArchitectureTest {
  private final com.tngtech.archunit.core.domain.JavaClasses classes =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rampart");

  @Test
  void coreDependsOnNothingOfRampart() {
    noClasses().that().resideInAPackage("dev.rampart.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.scan..", "dev.rampart.integrity..", "dev.rampart.server..",
            "dev.rampart.data..", "dev.rampart.eval..", "dev.rampart.cli..")
        .check(classes);
  }

  @Test
  void enginesDoNotKnowTheServerOrTheCli() {
    noClasses().that().resideInAnyPackage("dev.rampart.scan..", "dev.rampart.integrity..", "dev.rampart.data..",
            "dev.rampart.eval..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.server..", "dev.rampart.cli..")
        .check(classes);
  }

  @Test
  void integrityDoesNotDependOnTheScanner() {
    noClasses().that().resideInAPackage("dev.rampart.integrity..")
        .should().dependOnClassesThat().resideInAPackage("dev.rampart.scan..")
        .check(classes);
  }

  @Test
  void theDataEngineUsesOnlyCoreAndIntegrity() {
    noClasses().that().resideInAPackage("dev.rampart.data..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.scan..")
        .check(classes);
    noClasses().that().resideInAnyPackage("dev.rampart.scan..", "dev.rampart.integrity..")
        .should().dependOnClassesThat().resideInAPackage("dev.rampart.data..")
        .check(classes);
  }

  @Test
  void theServerDoesNotDependOnTheCli() {
    noClasses().that().resideInAPackage("dev.rampart.server..")
        .should().dependOnClassesThat().resideInAPackage("dev.rampart.cli..")
        .check(classes);
  }

  @Test
  void nothingDeserializesJavaObjects() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream").check(classes);
  }

  @Test
  void theWorkflowDecisionsArePure() {
    noClasses().that().resideInAPackage("dev.rampart.server.workflow..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.server.api..", "dev.rampart.server.store..",
            "dev.rampart.server.registry..", "dev.rampart.server.promotion..", "org.jdbi..", "io.javalin..")
        .check(classes);
  }

  @Test
  void theServersDomainDoesNotKnowTheConsole() {
    noClasses().that().resideInAnyPackage("dev.rampart.server.facts..", "dev.rampart.server.promotion..",
            "dev.rampart.server.registry..", "dev.rampart.server.gate..", "dev.rampart.server.admission..",
            "dev.rampart.server.monitor..", "dev.rampart.server.auth..", "dev.rampart.server.workflow..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.rampart.server.console..")
        .check(classes);
  }

  @Test
  void signaturesAreVerifiedOnlyInTheIntegrityModule() {
    // one verification code path for uploads, attestations and admission
    noClasses().that().resideInAPackage("dev.rampart.server..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.security.Signature")
        .check(classes);
  }
}
