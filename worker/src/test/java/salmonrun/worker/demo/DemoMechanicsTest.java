package salmonrun.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.common.BookkeepingActivitiesImpl;
import salmonrun.activities.common.PhaseValidation;
import salmonrun.activities.lineage.ArtifactStore;
import salmonrun.activities.lineage.Database;
import salmonrun.activities.lineage.TestDatabases;
import salmonrun.activities.salmon.Progress;
import salmonrun.worker.rehearsal.RehearsalActivities;
import salmonrun.worker.rehearsal.TinyTrainer;
import salmonrun.workflows.common.PhaseNames;

/**
 * The demo's machinery — embedded Temporal service and worker, base-model memoization, the SalmonRun workflow,
 * progress bars, summary from workflow result, Temporal and lineage, memoized rerun — driven by the orchestration
 * rehearsal backend (a tiny trainer with no SALMON semantics). `salmon demo` itself never uses this backend; this
 * test exists so the machinery is proven independently of which SALMON phases are built ({@code DemoCommandTest}
 * runs the real thing).
 */
class DemoMechanicsTest {
    @TempDir
    static Path tmp;

    private static Database db;
    private static ArtifactStore store;
    private static final AtomicInteger PRETRAININGS = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        db = TestDatabases.createFresh();
        store = new ArtifactStore(tmp.resolve("store"));
    }

    @AfterAll
    static void tearDown() {
        TestDatabases.drop(db);
    }

    private static DemoRunner.Backend rehearsal() {
        SandboxBaseModel.Pretrainer tiny = (preset, seed, out, progress, log) -> {
            PRETRAININGS.incrementAndGet();
            log.accept("rehearsal pretraining for preset " + preset.name());
            for (int step = 1; step <= 3; step++) {
                Thread.sleep(100);
                progress.onProgress(new Progress("train", step, 3, Map.of("tokens_per_s", 1000.0, "loss", 3.0 / step),
                        null));
            }
            new TinyTrainer(16, seed).save(out);
            return Map.of("loss", 1.0, "steps", 3.0);
        };
        return new DemoRunner.Backend(services -> List.of(
                new BookkeepingActivitiesImpl(services, new PhaseValidation(services)),
                new RehearsalActivities(services, 200)), Optional.of(tiny));
    }

    @Test
    void runsThroughSalmonRunThenReusesEverything() throws Exception {
        StringWriter progress = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(progress), false, 1000, System::currentTimeMillis);
        DemoRunner runner = new DemoRunner(db, store, display, rehearsal());
        DemoRunner.Options options = new DemoRunner.Options(DemoPreset.CI, 1, false, 200);

        DemoRunner.Outcome first = runner.run(options);
        DemoSummary s1 = first.summary();
        assertEquals(DemoRunner.OK, first.exitCode(), s1.toString() + "\n" + progress);
        assertEquals("completed", s1.status());
        assertEquals(1, PRETRAININGS.get());
        assertFalse(s1.baseModel().memoized());
        assertTrue(s1.baseModel().computeSeconds() > 0.25, s1.baseModel().toString());
        assertEquals(PhaseNames.ALL, s1.phases().stream().map(DemoSummary.PhaseSummary::phase).toList());
        for (DemoSummary.PhaseSummary p : s1.phases()) {
            assertEquals("ran", p.status(), p.toString());
            assertTrue(p.seconds() != null && p.seconds() > 0, "child workflow wall time: " + p);
            assertTrue(p.computeSeconds() > 0, "lineage execution time: " + p);
            assertFalse(p.artifacts().isEmpty(), p.toString());
        }
        assertTrue(s1.reused().isEmpty(), s1.reused().toString());
        assertTrue(s1.notAvailable().isEmpty());
        // The rehearsal's evaluations carry no grader figures; rows still come from the eval artifacts, ordered,
        // the in-context row included (the preset's eval config asks the Eval phase for it).
        assertEquals(List.of("base", "base_principles", "sft", "ppo"), s1.evaluations().stream()
                .map(DemoSummary.EvaluationSummary::model).toList());
        String shown = progress.toString();
        assertTrue(shown.contains("base model: rehearsal pretraining for preset ci"), shown);
        assertTrue(shown.contains("base model: train  ["), "pretraining bar: " + shown);
        assertTrue(shown.contains("self_align: done") && shown.contains("eval: done"), shown);

        DemoRunner.Outcome second = runner.run(options);
        DemoSummary s2 = second.summary();
        assertEquals(DemoRunner.OK, second.exitCode(), s2.toString());
        assertEquals(1, PRETRAININGS.get(), "the base model was reused, not pretrained again");
        assertTrue(s2.baseModel().memoized());
        assertEquals(s1.baseModel().artifactId(), s2.baseModel().artifactId());
        assertNotEquals(s1.workflowId(), s2.workflowId());
        for (int i = 0; i < PhaseNames.ALL.size(); i++) {
            DemoSummary.PhaseSummary p = s2.phases().get(i);
            assertEquals("memoized", p.status(), p.toString());
            assertEquals(s1.phases().get(i).executionId(), p.executionId(), "reused the first run's execution");
            assertEquals(s1.phases().get(i).artifacts(), p.artifacts());
        }
        assertEquals(List.of("base model", "self_align", "preferences", "reward_model", "ppo", "eval"), s2.reused());

        StringWriter text = new StringWriter();
        SummaryText.print(s2, new PrintWriter(text));
        assertTrue(text.toString().contains("reused from an earlier demo (memoized; --force recomputes): base model, "
                + "self_align, preferences, reward_model, ppo, eval"), text.toString());
        assertNotNull(s2.runId());
    }
}
