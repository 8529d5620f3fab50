package salmonrun.worker.metrics;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import salmonrun.activities.metrics.SalmonMetrics;

/**
 * Times every activity attempt on the worker into {@link SalmonMetrics#ACTIVITY_DURATION}, tagged
 * with activity type, calling workflow type (which is the phase: SelfAlign, Ppo ...), task queue and
 * outcome, so no activity implementation has to remember to.
 */
public final class ActivityMetricsInterceptor extends WorkerInterceptorBase {

    private final SalmonMetrics metrics;

    public ActivityMetricsInterceptor(SalmonMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new Timing(next);
    }

    private final class Timing extends ActivityInboundCallsInterceptorBase {
        private ActivityInfo info;

        Timing(ActivityInboundCallsInterceptor next) {
            super(next);
        }

        @Override
        public void init(ActivityExecutionContext context) {
            info = context.getInfo();
            super.init(context);
        }

        @Override
        public ActivityOutput execute(ActivityInput input) {
            long start = System.nanoTime();
            String outcome = "failure";
            try {
                ActivityOutput output = super.execute(input);
                outcome = "success";
                return output;
            } catch (CanceledFailure | ActivityCanceledException e) {
                outcome = "cancelled";
                throw e;
            } finally {
                metrics.recordActivity(info.getActivityType(), info.getWorkflowType(), info.getActivityTaskQueue(),
                        outcome, Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }
}
