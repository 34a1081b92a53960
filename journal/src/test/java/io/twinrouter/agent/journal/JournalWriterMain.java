package io.twinrouter.agent.journal;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A worker JVM for {@link JournalKillTest}: records steps of one case for ever, printing {@code
 * acked N} once step N is acknowledged, until the test kills it with SIGKILL.
 */
public final class JournalWriterMain {

  private JournalWriterMain() {}

  public static void main(String[] args) throws Exception {
    JournalDatabase db = JournalDatabase.h2(Path.of(args[0]));
    db.ensureSchema();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "writer",
        db.pekkoConfig().withFallback(ConfigFactory.load()));
    ActorRef<CaseJournal.Command> journal = system.systemActorOf(
        CaseJournal.create("run-kill", "case-kill"), "journal", Props.empty());
    for (int i = 0; ; i++) {
      RecordedStep step = new RecordedStep(i, "deepseek/deepseek-v3.2", 0.001,
          List.of(new RecordedStep.RecordedAction("ls", 0)), "{}");
      AskPattern.<CaseJournal.Command, CaseJournal.Ack>ask(journal,
              replyTo -> new CaseJournal.RecordStep(step, replyTo), Duration.ofSeconds(30),
              system.scheduler())
          .toCompletableFuture().get();
      System.out.println("acked " + i);
      System.out.flush();
    }
  }
}
