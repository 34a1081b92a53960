package io.twinrouter.agent.model;

/**
 * A response the provider charged for that the agent could not use: a 200 without a readable
 * message or usage (the client retried), or a message the loop refused as a format error. The
 * leaderboard's bill follows the reference, which prices neither; the ledger counts them, priced
 * where the usage is known and listed where it is not.
 *
 * @param modelId the pool model that answered it
 * @param cause why it was unusable ({@code MalformedResponseError: ...}, {@code FormatError})
 * @param usage its buckets and raw usage; null when the usage itself was unreadable
 * @param costUsd the usage at the model's rates; null when the usage is unknown
 */
public record UnusableResponse(String modelId, String cause, Usage usage, Double costUsd) {}
