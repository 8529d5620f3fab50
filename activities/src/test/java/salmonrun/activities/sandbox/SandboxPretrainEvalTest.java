package salmonrun.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.salmon.ProgressListener;

/** One real ci-preset pretraining run (DJL engine), then the eval on its checkpoint. */
class SandboxPretrainEvalTest {

    @TempDir
    static Path tmp;
    static Path checkpoint;
    static SandboxPretrainer.Result result;

    @BeforeAll
    static void pretrain() {
        checkpoint = tmp.resolve("ci-model");
        result = SandboxPretrainer.pretrain(SandboxPreset.CI.withSteps(30), checkpoint, 3L, ProgressListener.NONE, line -> { });
    }

    @Test
    void ciPretrainWritesAStandardCheckpointAndLowersHeldOutLoss() {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", SandboxPretrainer.SUMMARY_FILE)) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(f)), f);
        }
        assertEquals(30, result.steps(), "a fixed-step run trains exactly the steps asked for");
        assertFalse(result.stoppedByBudget());
        assertTrue(result.heldOutLossAfter() < result.heldOutLossBefore() - 0.2,
                "held-out loss " + result.heldOutLossBefore() + " -> " + result.heldOutLossAfter());
        assertEquals("ci", SandboxPretrainer.readSummary(checkpoint).get("preset"));
        assertThrows(IllegalArgumentException.class,
                () -> SandboxPretrainer.pretrain(SandboxPreset.CI, checkpoint, 3L, ProgressListener.NONE, line -> { }));
        assertFalse(Files.exists(tmp.resolve("ci-model.lock")), "the lock file goes when the run ends");
    }

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
        Path out = tmp.resolve("locked-model");
        Path lockFile = tmp.resolve("locked-model.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SandboxPretrainer.pretrain(SandboxPreset.CI, out, 3L, ProgressListener.NONE, line -> { }));
            assertEquals("another sandbox pretrain is writing to " + out + "; choose another --out", e.getMessage());
            assertTrue(Files.exists(lockFile), "the refused run leaves the holder's lock file alone");
            assertFalse(Files.exists(out), "nothing written");
        }
    }

    @Test
    void evalReportHasTheDocumentedSchema() throws Exception {
        SandboxEval.Settings s = new SandboxEval.Settings(12, 12, 0.7, 5L, 2);
        Map<String, Object> report = SandboxEvalRunner.run(new SandboxEvalRunner.Options(checkpoint, "default", null,
                Split.TEST, 7, 1L, 1, 1, s), line -> { });
        String text = new ObjectMapper().writeValueAsString(report);
        assertTrue(!text.contains("NaN") && !text.contains("Infinity"), "strict JSON only: " + text);
        JsonNode j = new ObjectMapper().readTree(text);
        for (String mode : List.of("base", "self_align")) {
            JsonNode r = j.get(mode);
            assertEquals(7, r.get("n").asInt());
            double c = r.get("composite").asDouble();
            assertTrue(c >= 0 && c <= 100, mode + " composite " + c);
            assertTrue(r.get("attributes").has("polite"));
            JsonNode polite = r.get("attributes").get("polite");
            assertEquals(1.0, polite.get("trueRate").asDouble() + polite.get("falseRate").asDouble()
                    + polite.get("unknownRate").asDouble(), 0.01);
            assertEquals(7, r.get("compositeByKind").size());
            assertEquals(3, r.get("mixture").size());
            assertEquals(2, r.get("samples").size());
        }
        assertEquals(j.get("self_align").get("composite").asDouble() - j.get("base").get("composite").asDouble(),
                j.get("gain").asDouble(), 1e-6);
        assertTrue(j.get("context").get("rules_in_context").size() >= 1);
        JsonNode judge = j.get("judge");
        assertTrue(judge.size() >= 8, "one result per labelling principle");
        boolean anyScored = false;
        for (JsonNode r : judge) {
            assertTrue(r.has("principle") && r.has("target") && r.has("pairs") && r.has("meanAccuracy"));
            anyScored |= r.get("pairs").asInt() > 0;
        }
        assertTrue(anyScored, judge.toString());
        JsonNode corpusWording = j.get("judge_corpus_wording");
        assertEquals(Attribute.values().length, corpusWording.size(), "one result per gradable attribute");
        for (JsonNode r : corpusWording) {
            assertTrue(r.get("pairs").asInt() > 0, "corpus criteria are all gradable: " + r);
        }
        JsonNode probe = j.get("review_probe");
        assertEquals(3, probe.get("documents").asInt(), "three review documents per judge pair");
        assertTrue(probe.get("verdicts").asInt() >= 3 && probe.get("reasons").has("polite"), probe.toString());
        double agreement = probe.get("verdictAgreement").asDouble();
        assertTrue(agreement >= 0 && agreement <= 1, probe.toString());
        assertEquals("ci", j.get("pretrain").get("preset").asText());
    }
}
