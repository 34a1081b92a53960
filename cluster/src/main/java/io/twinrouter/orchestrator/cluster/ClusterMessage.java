package io.twinrouter.orchestrator.cluster;

/**
 * Marks every message and event that crosses nodes or lands in the journal: bound to Pekko's
 * {@code jackson-json} serializer in reference.conf (Java serialization stays off).
 */
public interface ClusterMessage {}
