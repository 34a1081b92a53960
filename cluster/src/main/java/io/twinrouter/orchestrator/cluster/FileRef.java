package io.twinrouter.orchestrator.cluster;

/**
 * A file kept in the cluster's journal by content ({@link StoredFile}): where it belongs (a path
 * relative to a run directory, or a name), its SHA-256 and its size. Runs, case reports and the
 * coordinator's events carry these, never the bytes, so no message nears Artery's frame limit.
 */
public record FileRef(String path, String sha256, long size) implements ClusterMessage {}
