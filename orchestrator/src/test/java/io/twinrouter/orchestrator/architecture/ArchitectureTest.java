package io.twinrouter.orchestrator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md that the module graph alone cannot hold: no package cycles
 * anywhere (Maven already refuses module cycles), and the arrows that must never exist even
 * through a module that happens to be on the class path.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // Under `mvn test` the other modules are class folders, under `mvn verify` their jars: both
    // count; test classes do not.
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.twinrouter");
  }

  @Test
  void everyModuleIsImported() {
    for (String pkg : new String[] {"io.twinrouter.config", "io.twinrouter.bank",
        "io.twinrouter.router", "io.twinrouter.sandbox", "io.twinrouter.agent.model",
        "io.twinrouter.agent.casework", "io.twinrouter.scoring.statictrack",
        "io.twinrouter.scoring.http", "io.twinrouter.orchestrator.live", "io.twinrouter.bench",
        "io.twinrouter.gateway",
        "io.twinrouter.orchestrator.cli"}) {
      if (!production.containPackage(pkg)) {
        throw new AssertionError("no classes of " + pkg + " imported: the rules would pass vacuously");
      }
    }
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.twinrouter.(**)").should().beFreeOfCycles().check(production);
  }

  @Test
  void scoringNeverKnowsTheWorker() {
    noClasses().that().resideInAPackage("io.twinrouter.scoring..")
        .should().dependOnClassesThat().resideInAnyPackage("io.twinrouter.agent..",
            "io.twinrouter.sandbox..", "io.twinrouter.orchestrator..", "io.twinrouter.bench..")
        .check(production);
  }

  @Test
  void routersKnowNoAgentLoop() {
    noClasses().that().resideInAPackage("io.twinrouter.router..")
        .should().dependOnClassesThat().resideInAnyPackage("io.twinrouter.agent..",
            "io.twinrouter.sandbox..", "io.twinrouter.scoring..", "io.twinrouter.orchestrator..")
        .check(production);
  }

  @Test
  void sandboxesKnowNoAgent() {
    noClasses().that().resideInAPackage("io.twinrouter.sandbox..")
        .should().dependOnClassesThat().resideInAnyPackage("io.twinrouter.agent..",
            "io.twinrouter.router..", "io.twinrouter.model..", "io.twinrouter.orchestrator..")
        .check(production);
  }

  @Test
  void theGatewayKnowsNoAgentLoop() {
    noClasses().that().resideInAPackage("io.twinrouter.gateway..")
        .should().dependOnClassesThat().resideInAnyPackage("io.twinrouter.agent.casework..",
            "io.twinrouter.agent.loop..", "io.twinrouter.agent.records..",
            "io.twinrouter.sandbox..", "io.twinrouter.scoring..", "io.twinrouter.orchestrator..")
        .check(production);
  }

  @Test
  void productionCodeHasNoBenchmark() {
    noClasses().that().resideOutsideOfPackages("io.twinrouter.bench..")
        .and().resideOutsideOfPackage("io.twinrouter.orchestrator.cli")
        .should().dependOnClassesThat().resideInAPackage("io.twinrouter.bench..")
        .check(production);
  }
}
