package io.twinrouter.agent.journal;

/** Marker for journal commands, events and state, serialised as JSON by Pekko's Jackson module. */
public interface JournalSerializable {}
