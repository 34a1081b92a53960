package io.twinrouter.orchestrator.run;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Creates the actor that runs one case. The actor reports {@link RunSupervisor.CaseStepped} after
 * each step and {@link RunSupervisor.CaseCompleted} once; an infrastructure failure is an exception
 * it throws, which the supervisor meets with a restart (the behavior is created again, with the
 * same ticket, so it can resume from its journal).
 */
@FunctionalInterface
public interface CaseFactory {
  Behavior<?> create(CaseTicket ticket, ActorRef<RunSupervisor.Command> supervisor);
}
