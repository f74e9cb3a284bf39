package dev.rampart.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages are layered: the web layer (API, console, Kubernetes webhook) calls the services, the services
 * call the store and the audit log, and the domain's exceptions are known to all. Nothing but the web layer knows
 * the web framework, services refuse with domain exceptions only, and no two packages depend on each other.
 */
class LayeringTest {
  static final String[] WEB = {"dev.rampart.server.api..", "dev.rampart.server.console..", "dev.rampart.server.k8s..",
      "dev.rampart.server.web..", "dev.rampart.server.tls..", "dev.rampart.server.metrics.."};
  /** The witness is a small HTTP server of its own; only its listener knows the web framework. */
  static final String WITNESS_LISTENER = "dev.rampart.server.witness.WitnessServer";
  static final String[] SERVICES = {"dev.rampart.server.admission..", "dev.rampart.server.promotion..",
      "dev.rampart.server.registry..", "dev.rampart.server.facts..", "dev.rampart.server.monitor..",
      "dev.rampart.server.gate..", "dev.rampart.server.auth..", "dev.rampart.server.workflow..",
      "dev.rampart.server.artifacts.."};
  static final String[] PERSISTENCE = {"dev.rampart.server.store..", "dev.rampart.server.audit.."};

  private static final JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.rampart.server");

  @Test
  void webCallsServicesCallPersistence() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Web").definedBy(WEB)
        .layer("Services").definedBy(SERVICES)
        .layer("Persistence").definedBy(PERSISTENCE)
        .layer("Domain").definedBy("dev.rampart.server.domain..")
        .whereLayer("Web").mayNotBeAccessedByAnyLayer()
        .whereLayer("Services").mayOnlyBeAccessedByLayers("Web")
        .whereLayer("Persistence").mayOnlyBeAccessedByLayers("Web", "Services")
        .check(server);
  }

  @Test
  void onlyTheWebLayerKnowsTheWebFramework() {
    noClasses().that().resideOutsideOfPackages(WEB).and().doNotHaveFullyQualifiedName(RampartServer.class.getName())
        .and().doNotHaveFullyQualifiedName(WITNESS_LISTENER)
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
        .check(server);
  }

  @Test
  void theDomainDependsOnNothingOfTheServer() {
    noClasses().that().resideInAPackage("dev.rampart.server.domain..")
        .should().dependOnClassesThat().resideInAnyPackage(WEB)
        .orShould().dependOnClassesThat().resideInAnyPackage(SERVICES)
        .orShould().dependOnClassesThat().resideInAnyPackage(PERSISTENCE)
        .check(server);
  }

  @Test
  void servicesRefuseWithDomainExceptionsOnly() {
    // HTTP statuses are chosen in one place (web.HttpErrors); a service throwing a web exception would bypass it
    noClasses().that().resideInAnyPackage(SERVICES).or().resideInAnyPackage(PERSISTENCE)
        .should().dependOnClassesThat().haveFullyQualifiedName("io.javalin.http.HttpResponseException")
        .check(server);
    classes().that().areAssignableTo(RuntimeException.class).and().resideInAPackage("dev.rampart.server..")
        .and().doNotHaveFullyQualifiedName("dev.rampart.server.store.StoreException")
        // a certificate and key that do not fit stop the server before it listens: no request is refused with it
        .and().doNotHaveFullyQualifiedName("dev.rampart.server.tls.TlsConnector$TlsConfigException")
        .should().beAssignableTo(dev.rampart.server.domain.RampartException.class)
        .check(server);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.rampart.server.(*)..").should().beFreeOfCycles().check(server);
  }
}
