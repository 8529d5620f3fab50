package salmonrun.workflows;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import salmonrun.workflows.common.PhaseOutputs;
import salmonrun.workflows.common.StrictJson;
import salmonrun.workflows.eval.EvalInput;
import salmonrun.workflows.eval.EvalWorkflowImpl;
import salmonrun.workflows.ppo.PpoInput;
import salmonrun.workflows.preferences.PreferencesInput;
import salmonrun.workflows.rewardmodel.RewardModelInput;
import salmonrun.workflows.run.RunResult;
import salmonrun.workflows.run.RunSpec;
import salmonrun.workflows.selfalign.SelfAlignInput;
import salmonrun.workflows.ppo.PpoWorkflowImpl;
import salmonrun.workflows.preferences.PreferencesWorkflowImpl;
import salmonrun.workflows.rewardmodel.RewardModelWorkflowImpl;
import salmonrun.workflows.run.SalmonRunWorkflowImpl;
import salmonrun.workflows.selfalign.SelfAlignWorkflowImpl;

/**
 * Replays stored histories (recorded from real runs by the worker module's integration tests, see
 * docs/orchestration.md) against today's workflow code: a change that is not guarded by Workflow.getVersion
 * makes these fail with a non-determinism error. File names say which code version recorded them.
 */
class ReplayTest {
    private static final Path HISTORIES = Path.of("src/test/resources/histories");

    @TestFactory
    Stream<DynamicTest> storedHistoriesReplay() throws IOException {
        assertTrue(Files.isDirectory(HISTORIES), "run from the workflows module directory");
        // As workers do: build the input (de)serializers before replay, outside the deadlock-detected threads.
        StrictJson.warmUp(RunSpec.class, SelfAlignInput.class, PreferencesInput.class, RewardModelInput.class,
                PpoInput.class, EvalInput.class, PhaseOutputs.class, RunResult.class);
        List<Path> files;
        try (Stream<Path> s = Files.list(HISTORIES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no stored histories under " + HISTORIES);
        // Child workflow ids derive from the parent's, so each history replays under its recorded id.
        Properties ids = new Properties();
        try (var in = Files.newBufferedReader(HISTORIES.resolve("workflow-ids.properties"))) {
            ids.load(in);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () ->
                WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(f),
                        requireId(ids, f)), SalmonRunWorkflowImpl.class,
                        SelfAlignWorkflowImpl.class, PreferencesWorkflowImpl.class, RewardModelWorkflowImpl.class,
                        PpoWorkflowImpl.class, EvalWorkflowImpl.class)));
    }

    private static String requireId(Properties ids, Path f) {
        String id = ids.getProperty(f.getFileName().toString());
        assertTrue(id != null, f.getFileName() + " has no entry in workflow-ids.properties");
        return id;
    }
}
