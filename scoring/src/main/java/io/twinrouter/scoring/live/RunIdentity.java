package io.twinrouter.scoring.live;

/**
 * What identifies the pool a run was priced with; runs are only comparable when their pricing
 * fingerprints agree.
 */
public record RunIdentity(
    String routerLabel,
    String runDir,
    String poolFingerprint,
    int pricingSchemaVersion,
    String highBaselineModelId) {

  public RunIdentity withRunDir(String dir) {
    return new RunIdentity(routerLabel, dir, poolFingerprint, pricingSchemaVersion, highBaselineModelId);
  }

  /** {@code <pricing schema version>.<pool fingerprint>}, as the reference's score.json has it. */
  public String pricingFingerprint() {
    return pricingSchemaVersion + "." + poolFingerprint;
  }
}
