package salmonrun.workflows.common;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Activity options by kind. Transient errors (database briefly down, worker lost) retry with exponential
 * backoff; {@link StrictJson#BAD_INPUT} failures never retry. Model activities always heartbeat, so a dead
 * worker is noticed after the heartbeat timeout rather than the start-to-close timeout.
 */
public final class ActivityStubOptions {
    /** Default heartbeat timeout for model activities when the spec does not set one. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 30;

    private ActivityStubOptions() {}

    /** Retries: 1 s, doubling to at most 30 s, 12 attempts (about 5 minutes), never for bad input. */
    public static RetryOptions retries() {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofSeconds(30))
                .setMaximumAttempts(12)
                .setDoNotRetry(StrictJson.BAD_INPUT)
                .build();
    }

    /** Bookkeeping on the control queue: lineage rows, validation, aggregation. */
    public static ActivityOptions control() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setStartToCloseTimeout(Duration.ofMinutes(10))
                .setRetryOptions(retries())
                .setDisableEagerExecution(true)
                .build();
    }

    /** Generation, judging and training on the model queue, heartbeating at least every {@code heartbeatSeconds}. */
    public static ActivityOptions model(int heartbeatSeconds) {
        int hb = heartbeatSeconds > 0 ? heartbeatSeconds : DEFAULT_HEARTBEAT_SECONDS;
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.MODEL)
                .setStartToCloseTimeout(Duration.ofHours(12))
                .setHeartbeatTimeout(Duration.ofSeconds(hb))
                .setRetryOptions(retries())
                // Shards must spread over every worker on the queue, not run eagerly on the one that scheduled
                // them; the Java test server also loses track of eagerly started activities.
                .setDisableEagerExecution(true)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }
}
