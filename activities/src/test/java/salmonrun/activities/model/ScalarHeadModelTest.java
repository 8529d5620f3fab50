package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.train.AdamW;
import salmonrun.activities.model.train.Gradients;
import salmonrun.activities.model.train.LrSchedule;
import salmonrun.activities.model.train.Optimizer;

/** The scalar head: built from a decoder checkpoint, trained with a custom (pairwise) loss, saved and reloaded. */
class ScalarHeadModelTest {
    private static final int VOCAB = 30;

    @Test
    void pairwiseLossTrainsAHeadInitialisedFromADecoderAndItSurvivesSaving(@TempDir Path tmp) {
        Path decoderDir = tmp.resolve("decoder");
        try (LlamaModel decoder = TinyModels.model(VOCAB, 8)) {
            Checkpoint.save(decoderDir, decoder, null, null);
        }
        // chosen rows end in token 3, rejected rows in token 4 (right padding: lengths differ)
        long[] chosen = {5, 6, 7, 3, 0, 9, 9, 3};
        long[] rejected = {5, 6, 7, 4, 0, 9, 9, 4};
        int[] lengths = {4, 4};
        Path rmDir = tmp.resolve("rm");
        float[] trainedScores;
        try (ScalarHeadModel rm = Checkpoint.loadScalarHead(decoderDir, Device.cpu());
             Optimizer opt = new Optimizer(rm.parameters(), AdamW.Config.defaults(), LrSchedule.constant(3e-3), 1.0)) {
            float first = 0;
            float last = 0;
            for (int step = 0; step < 40; step++) {
                // Bradley-Terry: -log sigmoid(r_chosen - r_rejected)
                float loss = Gradients.backward(rm.manager(), m -> {
                    NDArray rc = rm.scores(m.create(chosen, new Shape(2, 4)), lengths);    // [2]
                    NDArray rr = rm.scores(m.create(rejected, new Shape(2, 4)), lengths);  // [2]
                    NDArray margin = rc.sub(rr);
                    return margin.neg().exp().add(1).log().mean();                         // softplus(-margin)
                });
                opt.step();
                if (step == 0) {
                    first = loss;
                }
                last = loss;
            }
            assertEquals(Math.log(2), first, 1e-4, "zero-initialised head scores both sides equally");
            assertTrue(last < 0.1, "pairwise loss should fall, got " + last);
            trainedScores = scores(rm, chosen, lengths);
            Checkpoint.save(rmDir, rm, null, null);
        }
        assertEquals("LlamaForSequenceClassification", Checkpoint.readConfig(rmDir).architectures().get(0));
        try (ScalarHeadModel back = Checkpoint.loadScalarHead(rmDir, Device.cpu())) {
            assertArrayEquals(trainedScores, scores(back, chosen, lengths), 0f);
        }
        // The reward-model checkpoint still loads as a plain decoder (the head is ignored).
        try (LlamaModel decoder = Checkpoint.loadDecoder(rmDir, Device.cpu())) {
            assertEquals(VOCAB, decoder.config().vocabSize());
        }
    }

    @Test
    void valuesGiveOneScalarPerPosition() {
        try (ScalarHeadModel vm = ScalarHeadModel.random(TinyModels.config(VOCAB), 1, Device.cpu());
             NoGrad ignored = new NoGrad(); NDManager m = vm.manager().newSubManager()) {
            NDArray hidden = vm.hidden(m.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)), null, null, null);
            assertEquals(new Shape(2, 3), vm.values(hidden).getShape());
        }
    }

    private static float[] scores(ScalarHeadModel rm, long[] tokens, int[] lengths) {
        try (NoGrad ignored = new NoGrad(); NDManager m = rm.manager().newSubManager()) {
            return rm.scores(m.create(tokens, new Shape(2, 4)), lengths).toFloatArray();
        }
    }
}
