package io.twinrouter.scoring.statictrack;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of scoring one prediction set.
 *
 * @param summary the reference's summary, keys in its order (without the per-row list)
 * @param rowsScored rows evaluated (the bank, or the sample)
 * @param errorRows rows scored as errors, including those without a prediction
 * @param missingPredictions evaluated rows the prediction set had no answer for
 */
public record StaticScore(ObjectNode summary, int rowsScored, int errorRows,
    int missingPredictions) {}
