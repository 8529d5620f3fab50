package salmonrun.activities.salmon;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.Role;
import salmonrun.activities.sandbox.Attribute;
import salmonrun.activities.sandbox.Grade;
import salmonrun.activities.sandbox.Grader;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.InstructionGenerator;
import salmonrun.activities.sandbox.ResponseWriter;
import salmonrun.activities.sandbox.Split;
import salmonrun.activities.sandbox.Verdict;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardModelProbeTest {
    static final Principle CONCISE = new Principle("Concise", "The answer uses no more words than the request needs.",
            "The answer is long and wordy.", 1, Role.LABELLING);
    static final Principle CREATIVE = new Principle("Creative", "The answer is imaginative.", "The answer is dull.", 1,
            Role.LABELLING);
    static final List<Instruction> INSTRUCTIONS = InstructionGenerator.standard().sample(Split.TRAIN, 60, 4);

    @Test
    void decisivePairsFollowTheGraderAndOracleLabelsFollowTheCriterionShown() {
        RewardModelProbe probe = new RewardModelProbe(ResponseWriter.standard());
        List<RewardModelProbe.Pair> pairs = probe.pairs(CONCISE, INSTRUCTIONS, 20, new SplittableRandom(1));
        assertEquals(20, pairs.size());
        Grader grader = new Grader();
        for (RewardModelProbe.Pair p : pairs) {
            boolean firstConcise = grader.grade(p.instruction(), p.output1()).get(Attribute.CONCISE) == Verdict.TRUE;
            assertEquals(firstConcise, p.firstBetter());
        }
        assertTrue(probe.pairs(CREATIVE, INSTRUCTIONS, 5, new SplittableRandom(1)).isEmpty(), "creativity is not graded");

        List<RmPair> oracle = probe.oraclePairs(List.of(CONCISE), INSTRUCTIONS, 30, 2);
        assertEquals(30, oracle.size());
        assertTrue(oracle.stream().anyMatch(p -> p.negated().get(0)) && oracle.stream().anyMatch(p -> !p.negated().get(0)));
        for (RmPair p : oracle) {
            String winner = p.preferred() == 1 ? p.output1() : p.output2();
            Instruction ins = INSTRUCTIONS.stream().filter(i -> i.text().equals(p.instruction())).findFirst().orElseThrow();
            boolean winnerConcise = grader.grade(ins, winner).get(Attribute.CONCISE) == Verdict.TRUE;
            assertEquals(!p.negated().get(0), winnerConcise, "negated criterion prefers the long answer");
            assertEquals(p.negated().get(0) ? "The answer is long and wordy." : CONCISE.definition(), p.definitions().get(0));
        }
    }

    @Test
    void multiPrincipleOraclePairsListOnlyPrinciplesThatCannotDecideBesideTheDecidingOne() {
        Principle polite = new Principle("Polite", "The answer is courteous.", "The answer is rude.", 1, Role.LABELLING);
        Principle onPoint = new Principle("On Point", "The response adds no examples nobody asked for.", null, 1,
                Role.INTERVENTION);
        List<Principle> alongside = List.of(CONCISE, CREATIVE, polite, onPoint);
        RewardModelProbe probe = new RewardModelProbe(ResponseWriter.standard());
        List<RmPair> oracle = probe.oraclePairs(List.of(CONCISE, polite), alongside, INSTRUCTIONS, 40, 4, 3);
        assertEquals(80, oracle.size());
        Grader grader = new Grader();
        Map<String, Attribute> attributes = Map.of("Concise", Attribute.CONCISE, "Polite", Attribute.POLITE,
                "On Point", Attribute.ON_TOPIC);
        Set<Integer> sizes = new HashSet<>();
        for (RmPair p : oracle) {
            sizes.add(p.principles().size());
            assertTrue(p.principles().size() <= 4 && Set.copyOf(p.principles()).size() == p.principles().size());
            Instruction ins = INSTRUCTIONS.stream().filter(i -> i.text().equals(p.instruction())).findFirst().orElseThrow();
            Grade g1 = grader.grade(ins, p.output1());
            Grade g2 = grader.grade(ins, p.output2());
            for (int k = 0; k < p.principles().size(); k++) {
                Attribute a = attributes.get(p.principles().get(k));
                if (k == p.dominant()) {
                    assertTrue(a != null && g1.get(a) != g2.get(a), "the deciding principle separates the answers");
                    Verdict winner = (p.preferred() == 1 ? g1 : g2).get(a);
                    assertEquals(p.negated().get(k) ? Verdict.FALSE : Verdict.TRUE, winner, "label follows the shown criterion");
                } else if (a != null) {
                    assertEquals(g1.get(a), g2.get(a), p.principles().get(k) + " is listed beside the decider but ties");
                }
            }
        }
        assertEquals(Set.of(1, 2, 3, 4), sizes, "lists of every size up to the cap");
        assertTrue(oracle.stream().anyMatch(p -> p.principles().contains("Creative")), "ungradable principles are listed too");
    }

    @Test
    void probeReportsAccuracyAndFlipRatePerGradablePrinciple(@TempDir Path dir) {
        Path ckpt = TinyModels.checkpoint(dir, "rm", 3);
        InstructableRewardModel rm = new InstructableRewardModel(Checkpoint.loadScalarHead(ckpt, Device.cpu()),
                Checkpoint.loadTokenizer(ckpt), new RewardModelPrompt.Limits(400, 64, 200));
        rm.model().parameters().get(salmonrun.activities.model.ScalarHeadModel.HEAD).addi(0.2f);
        List<RewardModelProbe.Result> results = new RewardModelProbe(ResponseWriter.standard())
                .run(rm, List.of(CONCISE, CREATIVE), INSTRUCTIONS, 6, 9, 8);
        assertEquals(6, results.get(0).pairs());
        assertTrue(results.get(0).accuracy() >= 0 && results.get(0).accuracy() <= 1);
        assertFalse(Double.isNaN(results.get(0).flipRate()));
        assertEquals("not_graded", results.get(1).target());
        assertEquals(0, results.get(1).pairs());
        assertTrue(Double.isNaN(results.get(0).accuracyInCrowd()), "no crowd given");

        List<RewardModelProbe.Result> crowded = new RewardModelProbe(ResponseWriter.standard())
                .run(rm, List.of(CONCISE), List.of(CREATIVE), 5, INSTRUCTIONS, 6, 9, 8);
        assertEquals(results.get(0).accuracy(), crowded.get(0).accuracy(), "the plain probe is unchanged by a crowd");
        assertTrue(crowded.get(0).accuracyInCrowd() >= 0 && crowded.get(0).accuracyInCrowd() <= 1);
    }

    @Test
    void theCrowdHoldsTheProbedDefinitionOnceAmongPrinciplesThatCannotDecide() {
        Principle polite = new Principle("Polite", "The answer is courteous.", "The answer is rude.", 1, Role.RL);
        List<Principle> crowd = List.of(CREATIVE, polite, CONCISE,
                new Principle("Lively", "The response uses a warm and lively tone.", null, 1, Role.RL),
                new Principle("Natural", "The response reads as clear prose.", null, 1, Role.RL),
                new Principle("Structured", "The response gives a summary first.", null, 1, Role.RL),
                new Principle("Privacy", "The response reveals no personal data.", null, 1, Role.RL));
        RewardModelProbe probe = new RewardModelProbe(ResponseWriter.standard());
        Grader grader = new Grader();
        SplittableRandom rng = new SplittableRandom(5);
        for (RewardModelProbe.Pair pair : probe.pairs(CONCISE, INSTRUCTIONS, 20, new SplittableRandom(3))) {
            List<String> criteria = probe.crowdedCriteria(CONCISE, pair, crowd, 5, rng);
            assertEquals(6, criteria.size(), "five ungradable principles always qualify");
            assertEquals(1, criteria.stream().filter(CONCISE.definition()::equals).count());
            boolean politeTies = grader.grade(pair.instruction(), pair.output1()).get(Attribute.POLITE)
                    == grader.grade(pair.instruction(), pair.output2()).get(Attribute.POLITE);
            if (!politeTies) {
                assertFalse(criteria.contains(polite.definition()), "a principle that decides the pair is never listed");
            }
        }
    }
}
