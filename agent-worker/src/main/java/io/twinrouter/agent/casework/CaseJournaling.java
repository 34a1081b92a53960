package io.twinrouter.agent.casework;

import java.time.Duration;

/**
 * Makes a case durable: its runner spawns a {@link io.twinrouter.agent.journal.CaseJournal} child
 * (persistence id from run id and instance id), records every finished step there before the next
 * model call, and resumes from it when started again. The actor system must carry the journal's
 * configuration ({@code JournalDatabase#pekkoConfig()}) and its schema must exist.
 *
 * @param writeTimeout how long a journal write or load may take before the case fails as an
 *     infrastructure error
 */
public record CaseJournaling(Duration writeTimeout) {

  public static CaseJournaling defaults() {
    return new CaseJournaling(Duration.ofSeconds(30));
  }
}
