package io.twinrouter.orchestrator.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node's case slots: at most {@code max-cases} case entities of this node run at once,
 * whoever put them here (first placement, or a restart after another node was lost). A slot is
 * freed when its holder says so or stops, so a crashed entity never keeps one.
 */
public final class NodeSlots {
  private NodeSlots() {}

  public sealed interface Command {}

  /** Asks for a slot for {@code holder}; {@code Granted} comes when one is free. */
  public record Acquire(ActorRef<?> holder, ActorRef<Granted> replyTo) implements Command {}

  public record Release(ActorRef<?> holder) implements Command {}

  public record Granted() {}

  private record HolderStopped(ActorRef<?> holder) implements Command {}

  public static Behavior<Command> create(int maxCases) {
    return Behaviors.setup(ctx -> {
      Set<ActorRef<?>> holders = new HashSet<>();
      Deque<Acquire> waiting = new ArrayDeque<>();
      Runnable grant = () -> {
        while (holders.size() < maxCases && !waiting.isEmpty()) {
          Acquire a = waiting.poll();
          holders.add(a.holder());
          a.replyTo().tell(new Granted());
        }
      };
      return Behaviors.receive(Command.class)
          .onMessage(Acquire.class, a -> {
            if (!holders.contains(a.holder())) {
              ctx.watchWith(a.holder(), new HolderStopped(a.holder()));
              waiting.add(a);
              grant.run();
            }
            return Behaviors.same();
          })
          .onMessage(Release.class, r -> {
            free(r.holder(), holders, waiting);
            ctx.unwatch(r.holder());
            grant.run();
            return Behaviors.same();
          })
          .onMessage(HolderStopped.class, s -> {
            free(s.holder(), holders, waiting);
            grant.run();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void free(ActorRef<?> holder, Set<ActorRef<?>> holders, Deque<Acquire> waiting) {
    holders.remove(holder);
    waiting.removeIf(a -> a.holder().equals(holder));
  }
}
