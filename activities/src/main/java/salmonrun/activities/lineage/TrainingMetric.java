package salmonrun.activities.lineage;

import com.fasterxml.jackson.databind.JsonNode;

/** The figures one training step recorded (loss, reward, KL ...); non-finite values are stored as strings. */
public record TrainingMetric(long executionId, int step, JsonNode metrics) {}
