package io.twinrouter.scoring.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The scoring actor's job lifecycle: progress, done, failed, and the bound on finished jobs. */
class ScoringActorTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A job whose progress and end the test drives by hand. */
  static final class ManualJob implements JobWork {
    final CompletableFuture<Result> result = new CompletableFuture<>();
    ProgressSink sink;

    @Override public String kind() { return "evaluation"; }
    @Override public String bank() { return "b"; }
    @Override public String router() { return "manual"; }
    @Override public int total() { return 3; }

    @Override
    public CompletionStage<Result> run(ProgressSink progress) {
      sink = progress;
      return result;
    }
  }

  static JobStatus job(ActorRef<ScoringActor.Command> actor, String id) {
    TestProbe<Optional<JobStatus>> probe = testKit.createTestProbe();
    actor.tell(new ScoringActor.GetJob(id, probe.getRef()));
    return probe.receiveMessage().orElse(null);
  }

  static JobStatus awaitJob(ActorRef<ScoringActor.Command> actor, String id, JobStatus.State state) {
    TestProbe<Optional<JobStatus>> probe = testKit.createTestProbe();
    return probe.awaitAssert(Duration.ofSeconds(10), () -> {
      JobStatus s = job(actor, id);
      assertEquals(state, s.status());
      return s;
    });
  }

  @Test
  void aJobReportsProgressThenItsSummaryOrItsFailure() {
    ActorRef<ScoringActor.Command> actor = testKit.spawn(ScoringActor.create(CompletableFuture.completedFuture(List.of()), 10));
    TestProbe<JobStatus> started = testKit.createTestProbe();
    ManualJob ok = new ManualJob();
    actor.tell(new ScoringActor.StartJob(ok, started.getRef()));
    String id = started.receiveMessage().id();
    ok.sink.progressed(2, 1);
    ok.sink.progressed(1, 0); // late and out of order: ignored
    TestProbe<Optional<JobStatus>> probe = testKit.createTestProbe();
    probe.awaitAssert(() -> {
      assertEquals(new JobStatus.Progress(2, 3, 1), job(actor, id).progress());
      return null;
    });
    ObjectNode summary = JsonNodeFactory.instance.objectNode().put("sampled", 3);
    TestProbe<Optional<ScoringActor.JobPredictions>> files = testKit.createTestProbe();
    actor.tell(new ScoringActor.GetPredictions(id, files.getRef()));
    assertNull(files.receiveMessage().orElseThrow().jsonl(), "no prediction file while the job runs");
    byte[] jsonl = "{\"id\":\"a\",\"tier\":\"low\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ok.result.complete(new JobWork.Result(summary, jsonl));
    JobStatus done = awaitJob(actor, id, JobStatus.State.DONE);
    assertEquals(summary, done.summary());
    assertEquals(new JobStatus.Progress(3, 3, 1), done.progress());
    actor.tell(new ScoringActor.GetPredictions(id, files.getRef()));
    assertTrue(java.util.Arrays.equals(jsonl, files.receiveMessage().orElseThrow().jsonl()));
    actor.tell(new ScoringActor.GetPredictions("nope", files.getRef()));
    assertTrue(files.receiveMessage().isEmpty());

    ManualJob broken = new ManualJob();
    actor.tell(new ScoringActor.StartJob(broken, started.getRef()));
    String failedId = started.receiveMessage().id();
    broken.result.completeExceptionally(new IllegalStateException("the bank went away"));
    JobStatus failed = awaitJob(actor, failedId, JobStatus.State.FAILED);
    assertEquals("the bank went away", failed.error());
    assertNull(failed.summary());
  }

  @Test
  void onlyTheNewestFinishedJobsAreKept() {
    ActorRef<ScoringActor.Command> actor = testKit.spawn(ScoringActor.create(CompletableFuture.completedFuture(List.of()), 2));
    TestProbe<JobStatus> started = testKit.createTestProbe();
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ManualJob j = new ManualJob();
      actor.tell(new ScoringActor.StartJob(j, started.getRef()));
      ids[i] = started.receiveMessage().id();
      j.result.complete(new JobWork.Result(JsonNodeFactory.instance.objectNode(), new byte[0]));
      awaitJob(actor, ids[i], JobStatus.State.DONE);
    }
    assertNull(job(actor, ids[0]));
    assertTrue(job(actor, ids[1]) != null && job(actor, ids[2]) != null);
  }

  @Test
  void healthFollowsTheBankLoading() {
    CompletableFuture<List<ServedBank>> loading = new CompletableFuture<>();
    ActorRef<ScoringActor.Command> actor = testKit.spawn(ScoringActor.create(loading, 2));
    TestProbe<ScoringActor.Health> probe = testKit.createTestProbe();
    actor.tell(new ScoringActor.GetHealth(probe.getRef()));
    assertEquals("loading", probe.receiveMessage().status());
    loading.completeExceptionally(new IllegalArgumentException("bank.jsonl line 2: bad JSON"));
    probe.awaitAssert(() -> {
      actor.tell(new ScoringActor.GetHealth(probe.getRef()));
      ScoringActor.Health h = probe.receiveMessage();
      assertEquals("failed", h.status());
      assertTrue(h.detail().contains("line 2"));
      return null;
    });
  }
}
