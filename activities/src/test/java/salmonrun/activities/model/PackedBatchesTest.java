package salmonrun.activities.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import salmonrun.activities.model.train.Batch;
import salmonrun.activities.model.train.PackedBatches;

/** Packing documents into training windows. */
class PackedBatchesTest {
    private static final int EOT = 0;

    /** Documents of 5..40 tokens; every token is 1000 * document + position, so a window shows where it starts. */
    private static List<int[]> documents(int n) {
        List<int[]> docs = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            int[] doc = new int[5 + (d * 7) % 36];
            for (int i = 0; i < doc.length; i++) {
                doc[i] = 1000 * d + i;
            }
            docs.add(doc);
        }
        return docs;
    }

    @Test
    void documentAlignedWindowsStartAtADocumentsFirstTokenAndTargetsAreShiftedInputs() {
        PackedBatches data = PackedBatches.documentAligned(documents(60), EOT, 4, 32, 3);
        Set<Long> firstTokens = new HashSet<>();
        for (long step = 1; step <= 50; step++) {
            Batch b = data.batch(step, 0);
            for (int r = 0; r < b.rows(); r++) {
                long first = b.inputs()[r * 32];
                assertEquals(0, first % 1000, "window starts mid-document at token " + first);
                firstTokens.add(first);
                for (int i = 0; i + 1 < 32; i++) {
                    assertEquals(b.inputs()[r * 32 + i + 1], b.targets()[r * 32 + i]);
                }
            }
        }
        assertTrue(firstTokens.size() > 20, "windows start at many documents: " + firstTokens.size());
    }

    @Test
    void anyOffsetWindowsAlsoStartMidDocument() {
        List<int[]> docs = documents(60);
        PackedBatches data = new PackedBatches(PackedBatches.pack(docs, EOT), 4, 32, 3);
        int midDocument = 0;
        for (long step = 1; step <= 50; step++) {
            Batch b = data.batch(step, 0);
            for (int r = 0; r < b.rows(); r++) {
                long first = b.inputs()[r * 32];
                midDocument += first != EOT && first % 1000 != 0 ? 1 : 0;
            }
        }
        assertTrue(midDocument > 100, "random offsets land inside documents: " + midDocument);
    }

    @Test
    void aStreamShorterThanOneWindowIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PackedBatches.documentAligned(documents(1), EOT, 1, 64, 1));
    }
}
