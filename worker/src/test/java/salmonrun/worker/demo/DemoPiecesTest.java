package salmonrun.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import salmonrun.workflows.common.PhaseNames;

/** Which phases the demo may run: only built ones whose inputs can be produced. */
class DemoPiecesTest {

    private static DemoPieces pieces(boolean pretrain, String... built) {
        Map<String, Boolean> phases = new LinkedHashMap<>();
        for (String p : PhaseNames.ALL) {
            phases.put(p, List.of(built).contains(p));
        }
        return new DemoPieces(pretrain, phases);
    }

    @Test
    void withoutABaseModelNothingRuns() {
        DemoPieces p = pieces(false, PhaseNames.ALL.toArray(String[]::new));
        assertTrue(p.runnable().isEmpty());
        assertEquals("sandbox base-model pretraining is not built yet", p.missing().get("pretrain"));
        for (String phase : PhaseNames.ALL) {
            assertTrue(p.missing().get(phase).startsWith("built, but its inputs"), phase);
        }
        assertFalse(p.complete());
    }

    @Test
    void aPhaseRunsOnlyWhenItsInputsCanBeMade() {
        DemoPieces p = pieces(true, PhaseNames.PREFERENCES, PhaseNames.REWARD_MODEL, PhaseNames.EVAL);
        assertEquals(List.of(PhaseNames.EVAL), p.runnable());
        assertTrue(p.missing().get(PhaseNames.PREFERENCES).startsWith("built, but its inputs"));
        assertTrue(p.missing().get(PhaseNames.SELF_ALIGN).contains("SelfAlignActivities"));
    }

    @Test
    void everythingBuiltIsComplete() {
        DemoPieces p = pieces(true, PhaseNames.ALL.toArray(String[]::new));
        assertEquals(PhaseNames.ALL, p.runnable());
        assertTrue(p.complete());
    }

    @Test
    void detectionLooksAtTheRegisteredImplementations() {
        Object eval = new salmonrun.workflows.eval.EvalActivities() {
            @Override
            public salmonrun.workflows.common.StepResult evaluate(salmonrun.workflows.common.StepCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public salmonrun.workflows.common.StepResult evaluateWithPrinciples(
                    salmonrun.workflows.common.StepCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public salmonrun.workflows.common.StepResult summarize(salmonrun.workflows.common.StepCall call) {
                throw new UnsupportedOperationException();
            }
        };
        DemoPieces p = DemoPieces.detect(true, List.of(new Object(), eval));
        assertEquals(Map.of(PhaseNames.SELF_ALIGN, false, PhaseNames.PREFERENCES, false, PhaseNames.REWARD_MODEL,
                false, PhaseNames.PPO, false, PhaseNames.EVAL, true), p.phases());
    }
}
