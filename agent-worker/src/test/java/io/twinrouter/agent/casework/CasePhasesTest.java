package io.twinrouter.agent.casework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.twinrouter.agent.loop.AgentSettings;
import io.twinrouter.agent.loop.CaseTask;
import io.twinrouter.agent.loop.Scripted;
import io.twinrouter.agent.loop.Templates;
import io.twinrouter.protocol.CaseReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * The case actor is a behavior per phase; each of them must treat a second Start (a parent
 * re-sending after its own restart) as the running case's, not as a new case.
 */
class CasePhasesTest extends CaseHarness {

  @Test
  void aSecondStartInAnyPhaseIsIgnored() throws Exception {
    var model = new Scripted.Model(
        Scripted.bash("THOUGHT: explore", usage(), "ls"),
        Scripted.bash("THOUGHT: submit", usage(), SUBMIT));
    var sandbox = sandbox();
    sandbox.openDelayMs = 100;
    CompletableFuture<Void> routerGate = new CompletableFuture<>();
    var router = new Scripted.Router(ctx -> ctx.stepIndex() == 1
        ? routerGate.thenApply(v -> Scripted.Router.decide(ctx, CHEAP, "gated"))
        : CompletableFuture.completedFuture(Scripted.Router.decide(ctx, CHEAP, "at once")));
    CountDownLatch grading = new CountDownLatch(1);
    CountDownLatch graded = new CountDownLatch(1);
    Grader verdicts = new Grader();
    PatchGrader grader = (task, patch) -> {
      grading.countDown();
      assertTrue(graded.await(10, TimeUnit.SECONDS));
      return verdicts.grade(task, patch);
    };
    double[] now = {1_700_000_000.0};
    var deps = new CaseDeps(POOL, limits(250, 3.0, Duration.ofSeconds(10)),
        AgentSettings.from(ConfigFactory.load()), Templates.defaults(), model, sandbox, router,
        grader, () -> now[0] += 1.0);
    var spec = new CaseSpec("run-1", "test-router",
        new CaseTask("django__django-1", "django/django", "Broken."), out);
    TestProbe<CaseReport> first = KIT.createTestProbe();
    TestProbe<CaseReport> again = KIT.createTestProbe();
    var runner = KIT.spawn(CaseRunner.create(spec, deps));

    runner.tell(new CaseRunner.Start(first.getRef()));
    runner.tell(new CaseRunner.Start(again.getRef())); // while the sandbox opens
    awaitTrue(() -> router.requests.size() == 2);
    runner.tell(new CaseRunner.Start(again.getRef())); // while the router decides step 1
    routerGate.complete(null);
    assertTrue(grading.await(10, TimeUnit.SECONDS));
    runner.tell(new CaseRunner.Start(again.getRef())); // while the patch is graded
    graded.countDown();

    CaseReport report = first.receiveMessage(Duration.ofSeconds(10));
    assertEquals("Submitted", report.exitStatus());
    assertEquals(2, report.steps());
    first.expectTerminated(runner, Duration.ofSeconds(5));
    again.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, sandbox.opened, "one sandbox: no Start began the case again");
    assertEquals(List.of("ls", SUBMIT), sandbox.commands);
    assertEquals(2, model.requests.size());
    assertEquals(List.of(PATCH), verdicts.patches);
  }
}
