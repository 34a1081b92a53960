package io.twinrouter.scoring.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The comparisons ({@code compare}) this service follows: the latest standing of each (its
 * {@code compare.json}, as the comparison writes it after every look) and the subscribers of its
 * event stream, who hear each new standing and then the end.
 */
public final class Comparisons {

  public sealed interface Command {}

  /** A comparison's standing after a look; {@code finished} on the last one. */
  public record Update(String id, ObjectNode standing, boolean finished) implements Command {}

  public record ListAll(ActorRef<Listing> replyTo) implements Command {}

  public record Get(String id, ActorRef<Answer> replyTo) implements Command {}

  /** Hears the standing now, each next one, and {@link End} once the comparison finishes. */
  public record Subscribe(String id, ActorRef<StreamItem> subscriber) implements Command {}

  public record Listing(List<ObjectNode> comparisons) {}

  public record Answer(Optional<ObjectNode> standing) {}

  public sealed interface StreamItem {}

  public record Look(ObjectNode standing, boolean finished) implements StreamItem {}

  public enum End implements StreamItem { INSTANCE }

  private Comparisons() {}

  public static Behavior<Command> create() {
    Map<String, ObjectNode> latest = new LinkedHashMap<>();
    Map<String, Boolean> finished = new LinkedHashMap<>();
    Map<String, List<ActorRef<StreamItem>>> subscribers = new LinkedHashMap<>();
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          latest.put(u.id(), u.standing());
          finished.put(u.id(), u.finished());
          for (ActorRef<StreamItem> s : subscribers.getOrDefault(u.id(), List.of())) {
            s.tell(new Look(u.standing(), u.finished()));
            if (u.finished()) {
              s.tell(End.INSTANCE);
            }
          }
          if (u.finished()) {
            subscribers.remove(u.id());
          }
          return Behaviors.same();
        })
        .onMessage(ListAll.class, l -> {
          l.replyTo().tell(new Listing(List.copyOf(latest.values())));
          return Behaviors.same();
        })
        .onMessage(Get.class, g -> {
          g.replyTo().tell(new Answer(Optional.ofNullable(latest.get(g.id()))));
          return Behaviors.same();
        })
        .onMessage(Subscribe.class, s -> {
          ObjectNode now = latest.get(s.id());
          if (now != null) {
            s.subscriber().tell(new Look(now, finished.get(s.id())));
          }
          if (Boolean.TRUE.equals(finished.get(s.id()))) {
            s.subscriber().tell(End.INSTANCE);
          } else {
            subscribers.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s.subscriber());
          }
          return Behaviors.same();
        })
        .build();
  }
}
