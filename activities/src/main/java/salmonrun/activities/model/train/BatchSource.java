package salmonrun.activities.model.train;

/**
 * Training data as a pure function of (step, micro-batch): the same arguments always give the same batch,
 * which is what makes a resumed run repeat the uninterrupted one exactly.
 */
public interface BatchSource {
    /** Micro-batch {@code micro} (0..accumulation-1) of optimizer step {@code step} (0-based). */
    Batch batch(long step, int micro);
}
