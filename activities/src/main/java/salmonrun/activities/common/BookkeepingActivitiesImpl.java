package salmonrun.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import salmonrun.activities.lineage.ExecutionStart;
import salmonrun.activities.lineage.PhaseExecution;
import salmonrun.workflows.common.BookkeepingActivities;
import salmonrun.workflows.common.PhaseBegin;
import salmonrun.workflows.common.PhaseStart;

/** Lineage bookkeeping for the workflows: run rows, phase rows with memoization, validation. */
public final class BookkeepingActivitiesImpl implements BookkeepingActivities {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActivityServices services;
    private final PhaseValidation validation;

    public BookkeepingActivitiesImpl(ActivityServices services, PhaseValidation validation) {
        this.services = services;
        this.validation = validation;
    }

    @Override
    public long openRun(String workflowId, JsonNode spec, String startedBy) {
        return guard(() -> services.lineage().upsertRun(workflowId, spec, startedBy));
    }

    @Override
    public void setRunStatus(long runId, String status) {
        guard(() -> {
            services.lineage().setRunStatus(runId, status);
            return null;
        });
    }

    @Override
    public void validatePhase(String phase, Map<String, Long> inputs, Long principleSetId, Long exemplarSetId,
                              JsonNode config) {
        guard(() -> {
            validation.validate(phase, inputs, principleSetId, exemplarSetId, config);
            return null;
        });
    }

    @Override
    public PhaseBegin beginPhase(PhaseStart start) {
        return guard(() -> {
            Map<String, Long> inputs = new TreeMap<>();
            for (int i = 0; i < start.inputArtifactIds().size(); i++) {
                inputs.put("input" + i, start.inputArtifactIds().get(i));
            }
            String key = Keys.of(services, start.phase(), start.config(), inputs, start.principleSetId(),
                    start.exemplarSetId());
            if (!start.force()) {
                Optional<PhaseExecution> done = Memo.reuse(services, key, start.runId(), start.phase());
                if (done.isPresent()) {
                    return new PhaseBegin(done.get().id(), true, done.get().outputs(),
                            StepRunner.metricsOf(done.get().metrics()));
                }
            }
            ActivityInfo info = Activity.getExecutionContext().getInfo();
            PhaseExecution row = services.lineage().startExecution(new ExecutionStart(start.runId(), start.phase(),
                    info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId(), key,
                    Activity.getExecutionContext().getWorkflowClient().getOptions().getIdentity(),
                    start.principleSetId(), start.exemplarSetId(), start.config()));
            return new PhaseBegin(row.id(), false, Map.of(), Map.of());
        });
    }

    @Override
    public void completePhase(long executionId, Map<String, Long> outputs, Map<String, Double> metrics) {
        guard(() -> {
            services.lineage().completeExecution(executionId, outputs, JSON.valueToTree(metrics));
            return null;
        });
    }

    @Override
    public void failPhase(long executionId, String error) {
        guard(() -> {
            services.lineage().failExecution(executionId, error);
            return null;
        });
    }

    private static <T> T guard(java.util.concurrent.Callable<T> work) {
        try {
            return work.call();
        } catch (Exception e) {
            throw Failures.toActivityFailure(e);
        }
    }
}
