package salmonrun.worker.orchestration;

import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.common.TaskQueues;
import salmonrun.workflows.eval.EvalInput;
import salmonrun.workflows.ppo.PpoInput;
import salmonrun.workflows.preferences.PreferencesInput;
import salmonrun.workflows.rewardmodel.RewardModelInput;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.RunSpec;
import salmonrun.workflows.selfalign.SelfAlignInput;
import salmonrun.workflows.eval.EvalWorkflowImpl;
import salmonrun.workflows.ppo.PpoWorkflowImpl;
import salmonrun.workflows.preferences.PreferencesWorkflowImpl;
import salmonrun.workflows.rewardmodel.RewardModelWorkflowImpl;
import salmonrun.workflows.run.SalmonRunWorkflowImpl;
import salmonrun.workflows.selfalign.SelfAlignWorkflowImpl;

/**
 * A worker process's Temporal side: one worker per task queue it serves. The control queue runs every workflow
 * and the bookkeeping activities; the model queue runs generation, judging and training, at most
 * {@code maxModelActivities} at once.
 */
public final class SalmonWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SalmonWorker.class);

    /** Every workflow implementation, registered on the control queue. */
    public static final List<Class<?>> WORKFLOWS = List.of(SalmonRunWorkflowImpl.class, SelfAlignWorkflowImpl.class,
            PreferencesWorkflowImpl.class, RewardModelWorkflowImpl.class, PpoWorkflowImpl.class,
            EvalWorkflowImpl.class);

    /**
     * Worker settings. {@code stickyScheduleToStart}: null chooses automatically (zero for the local test server,
     * which never times out sticky queues, so a dead worker's workflows would hang; the SDK default otherwise).
     */
    public record Settings(Set<String> queues, int maxModelActivities, Duration stickyScheduleToStart) {
        public Settings {
            queues = Set.copyOf(queues);
            if (queues.isEmpty()) {
                throw new IllegalArgumentException("a worker must serve at least one task queue");
            }
            if (maxModelActivities < 1) {
                throw new IllegalArgumentException("max model activities must be at least 1, got " + maxModelActivities);
            }
        }
    }

    private final WorkerFactory factory;
    private final Duration sticky;

    private SalmonWorker(WorkerFactory factory, Duration sticky) {
        this.factory = factory;
        this.sticky = sticky;
    }

    /** Creates the workers on {@code connection}, registers workflows and {@code activities}, and starts polling. */
    public static SalmonWorker start(TemporalConnection connection, Settings settings, List<Object> activities) {
        return start(connection, settings, activities, List.of());
    }

    /** Like {@link #start(TemporalConnection, Settings, List)}, with worker interceptors (e.g. activity timing). */
    public static SalmonWorker start(TemporalConnection connection, Settings settings, List<Object> activities,
                                     List<WorkerInterceptor> interceptors) {
        Duration sticky = settings.stickyScheduleToStart();
        if (sticky == null && connection.isLocalTestServer()) {
            sticky = Duration.ZERO;
        }
        warmUp();
        WorkerFactory factory = WorkerFactory.newInstance(connection.client(), WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(interceptors.toArray(new WorkerInterceptor[0])).build());
        for (String queue : settings.queues()) {
            // A busy machine (training on every core) can stall a workflow thread past the 1 s default.
            WorkerOptions.Builder options = WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000);
            if (sticky != null) {
                options.setStickyQueueScheduleToStartTimeout(sticky);
            }
            if (TaskQueues.MODEL.equals(queue)) {
                options.setMaxConcurrentActivityExecutionSize(settings.maxModelActivities());
                options.setMaxConcurrentActivityTaskPollers(Math.min(2, settings.maxModelActivities()));
            }
            Worker worker = factory.newWorker(queue, options.build());
            if (TaskQueues.CONTROL.equals(queue)) {
                worker.registerWorkflowImplementationTypes(WORKFLOWS.toArray(new Class<?>[0]));
            }
            worker.registerActivitiesImplementations(activities.toArray());
        }
        factory.start();
        log.info("worker {} polling {} at {} (sticky schedule-to-start: {})", connection.client().getOptions()
                .getIdentity(), settings.queues(), connection.address(), sticky == null ? "default" : sticky);
        return new SalmonWorker(factory, sticky);
    }

    /** Builds the JSON (de)serializers of every workflow input outside workflow threads. */
    public static void warmUp() {
        StrictJson.warmUp(RunSpec.class, SelfAlignInput.class, PreferencesInput.class, RewardModelInput.class,
                PpoInput.class, EvalInput.class, PhaseOutputs.class, RunResult.class);
    }

    /** The sticky-queue timeout in force (null: the SDK default). */
    public Duration stickyScheduleToStart() {
        return sticky;
    }

    public WorkerFactory factory() {
        return factory;
    }

    /** Stops polling and waits up to 10 s for running tasks. */
    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
    }
}
