package salmonrun.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import salmonrun.activities.salmon.Progress;
import salmonrun.activities.salmon.ProgressListener;

/**
 * Salmon Run's own metrics (loss, reward, KL, tokens/s, labels per principle, activity durations)
 * over a Micrometer registry. Phases record through this class so metric names and tags stay in one
 * place; the worker's Prometheus endpoint (salmonrun.worker.metrics.MetricsServer) exposes them.
 *
 * <p>Names are Micrometer names (dots); Prometheus sees them with underscores and unit suffixes, e.g.
 * {@code salmon.loss} as {@code salmon_loss} and {@code salmon.tokens} as {@code salmon_tokens_total}.
 * docs/metrics.md lists every series. Tag values are bounded sets (phase, slot, principle, activity type,
 * outcome): never put run ids or step numbers in tags, since every distinct value is a new series.
 *
 * <p>The per-phase gauges (loss, reward, KL, step, tokens/s, other figures) also carry a {@code slot} tag: several
 * activities of one phase can run at once on a worker (generation or judging shards), and each running activity
 * holds its own slot (the lowest free number, {@link #open}), so their figures do not overwrite each other. Slots
 * are reused when an activity ends, so there are at most as many as activities ever ran at once on the worker.
 */
public final class SalmonMetrics {

    /** Timer: wall time of each activity attempt; tags activity, workflow, queue, outcome. */
    public static final String ACTIVITY_DURATION = "salmon.activity.duration";
    /** Counter: tokens processed (generated or trained on); tag phase. */
    public static final String TOKENS = "salmon.tokens";
    /** Gauge: most recent throughput in tokens per second; tag phase. */
    public static final String TOKENS_PER_SECOND = "salmon.tokens.per.second";
    /** Gauge: most recent training loss; tag phase (sft, reward_model, ppo ...). */
    public static final String LOSS = "salmon.loss";
    /** Gauge: most recent mean reward (PPO); tag phase. */
    public static final String REWARD = "salmon.reward";
    /** Gauge: most recent KL divergence from the reference policy (PPO); tag phase. */
    public static final String KL = "salmon.kl";
    /** Gauge: current step of the phase; tag phase. */
    public static final String STEP = "salmon.step";
    /** Gauge: step / total of the phase, 0..1; tag phase. */
    public static final String PROGRESS = "salmon.progress.ratio";
    /** Gauge: any other figure a phase reports in its {@link Progress}; tags phase, name. */
    public static final String PHASE_METRIC = "salmon.phase.metric";
    /** Counter: preference labels per principle; tags principle, outcome (kept, dropped). */
    public static final String LABELS = "salmon.preference.labels";
    /** Gauge: share of kept labels agreeing with the sandbox grader, 0..1; tag principle. */
    public static final String GRADER_AGREEMENT = "salmon.preference.grader.agreement";
    /** Gauge: pairs judged per principle in the newest aggregated dataset; tags principle, outcome (kept, dropped). */
    public static final String DATASET_LABELS = "salmon.preference.dataset.labels";
    /** Gauge: decisive / (decisive + abstained) per principle in the newest dataset, 0..1; tag principle. */
    public static final String ORDER_SWAP_AGREEMENT = "salmon.preference.order.swap.agreement";
    /** Gauge: mean (s12 - s21) / 2 per principle in the newest dataset, the judge's pull to output 1; tag principle. */
    public static final String POSITION_BIAS = "salmon.preference.position.bias";

    /** Progress keys mapped onto the dedicated gauges; everything else goes to {@link #PHASE_METRIC}. */
    public static final String KEY_LOSS = "loss";
    public static final String KEY_REWARD = "reward";
    public static final String KEY_KL = "kl";
    public static final String KEY_TOKENS_PER_SECOND = "tokens_per_s";
    /** PPO's reward before KL shaping (RM score plus symbolic terms); the reward when no "reward" key is given. */
    public static final String KEY_SCORE = "score";
    /**
     * Tokens the activity has processed so far (generated or trained on), cumulative within one activity attempt:
     * a {@link Recorder} or {@link #recording} listener adds the increase to {@link #TOKENS}.
     */
    public static final String KEY_TOKENS = "tokens";
    /** Tag of the per-phase gauges: which of the phase's concurrently running activities on this worker. */
    public static final String SLOT = "slot";

    /** Label outcomes: kept when both judging orders agree (or the bias-cancelling rule keeps it). */
    public enum LabelOutcome {
        KEPT, DROPPED;

        String tagValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final SalmonMetrics GLOBAL = new SalmonMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;
    // Gauges read these holders; Micrometer keeps the first object registered per name+tags, so
    // we must hand back the same holder every time.
    private final Map<GaugeKey, GaugeValue> gauges = new ConcurrentHashMap<>();
    /** Slots in use per phase (guarded by itself). */
    private final Map<String, java.util.BitSet> slots = new java.util.HashMap<>();

    /** Metrics recorded into the given registry. */
    public SalmonMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Metrics recorded into Micrometer's global registry; the worker adds its Prometheus registry
     * there, so phase code can record without the registry being passed down. Until a registry is
     * added (tests, CLI tools) recording is a no-op.
     */
    public static SalmonMetrics global() {
        return GLOBAL;
    }

    /** Metrics into a private in-memory registry (for tests and tools that inspect values). */
    public static SalmonMetrics inMemory() {
        return new SalmonMetrics(new SimpleMeterRegistry());
    }

    /** The registry this records into. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Records one activity attempt's duration; outcome is e.g. success, failure, cancelled. */
    public void recordActivity(String activity, String workflow, String queue, String outcome, Duration elapsed) {
        Timer.builder(ACTIVITY_DURATION)
                .description("Wall time of each activity attempt")
                .tags(Tags.of(tag("activity", activity), tag("workflow", workflow), tag("queue", queue),
                        tag("outcome", outcome)))
                // A handful of buckets spanning a judging shard (seconds) to a training run (hours).
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
                        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))
                .register(registry)
                .record(elapsed.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records tokens processed in a phase over an elapsed time: adds to the counter, sets tokens/s. */
    public void recordTokens(String phase, long tokens, Duration elapsed) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
        Counter.builder(TOKENS).description("Tokens processed").tags(Tags.of(tag("phase", phase))).register(registry)
                .increment(tokens);
        if (!elapsed.isZero() && !elapsed.isNegative()) {
            gauge(TOKENS_PER_SECOND, "Most recent throughput in tokens per second", phaseTags(phase, 0))
                    .set(tokens / (elapsed.toNanos() / 1e9));
        }
    }

    private void addTokens(String phase, double tokens) {
        if (tokens > 0) {
            Counter.builder(TOKENS).description("Tokens processed").tags(Tags.of(tag("phase", phase)))
                    .register(registry).increment(tokens);
        }
    }

    /** Sets the phase's current training loss (slot 0). */
    public void recordLoss(String phase, double loss) {
        recordLoss(phase, 0, loss);
    }

    private void recordLoss(String phase, int slot, double loss) {
        gauge(LOSS, "Most recent training loss", phaseTags(phase, slot)).set(loss);
    }

    /** Sets the phase's current mean reward (slot 0). */
    public void recordReward(String phase, double reward) {
        recordReward(phase, 0, reward);
    }

    private void recordReward(String phase, int slot, double reward) {
        gauge(REWARD, "Most recent mean reward", phaseTags(phase, slot)).set(reward);
    }

    /** Sets the phase's current KL divergence from the reference policy (slot 0). */
    public void recordKl(String phase, double kl) {
        recordKl(phase, 0, kl);
    }

    private void recordKl(String phase, int slot, double kl) {
        gauge(KL, "Most recent KL divergence from the reference policy", phaseTags(phase, slot)).set(kl);
    }

    /** Sets the phase's current step and, when total is positive, its completed share (slot 0). */
    public void recordStep(String phase, long step, long total) {
        recordStep(phase, 0, step, total);
    }

    private void recordStep(String phase, int slot, long step, long total) {
        gauge(STEP, "Current step of the phase", phaseTags(phase, slot)).set(step);
        if (total > 0) {
            gauge(PROGRESS, "Completed share of the phase, 0..1", phaseTags(phase, slot))
                    .set(Math.min(1.0, (double) step / total));
        }
    }

    /** Adds preference labels produced for one principle with the given outcome. */
    public void recordLabels(String principle, LabelOutcome outcome, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("label count must be >= 0, got " + count);
        }
        Counter.builder(LABELS).description("Preference labels per principle")
                .tags(Tags.of(tag("principle", principle), tag("outcome", outcome.tagValue())))
                .register(registry).increment(count);
    }

    /** Sets how often a principle's kept labels agree with the sandbox grader (0..1). */
    public void recordGraderAgreement(String principle, double agreement) {
        if (!(agreement >= 0 && agreement <= 1)) {
            throw new IllegalArgumentException("grader agreement must be in [0, 1], got " + agreement);
        }
        gauge(GRADER_AGREEMENT, "Share of kept labels agreeing with the sandbox grader",
                Tags.of(tag("principle", principle))).set(agreement);
    }

    /**
     * Records how one labelling principle judged in an aggregated preference dataset: pairs kept (both orders
     * agree) and dropped (ties, abstentions), order-swap agreement, position bias, and agreement with the
     * sandbox grader (NaN when there is no grader). Gauges, so a retried aggregation does not count twice.
     */
    public void recordJudging(String principle, long judged, long kept, double orderSwapAgreement,
                              double positionBias, double graderAgreement) {
        if (judged < 0 || kept < 0 || kept > judged) {
            throw new IllegalArgumentException("principle " + principle + ": need 0 <= kept <= judged, got kept "
                    + kept + " of " + judged);
        }
        gauge(DATASET_LABELS, "Pairs per principle in the newest preference dataset",
                Tags.of(tag("principle", principle), tag("outcome", LabelOutcome.KEPT.tagValue()))).set(kept);
        gauge(DATASET_LABELS, "Pairs per principle in the newest preference dataset",
                Tags.of(tag("principle", principle), tag("outcome", LabelOutcome.DROPPED.tagValue())))
                .set(judged - kept);
        gauge(ORDER_SWAP_AGREEMENT, "Share of judged pairs whose verdict survives the order swap",
                Tags.of(tag("principle", principle))).set(orderSwapAgreement);
        gauge(POSITION_BIAS, "Mean pull of the judge toward the first-shown output, in logits",
                Tags.of(tag("principle", principle))).set(positionBias);
        if (!Double.isNaN(graderAgreement)) {
            recordGraderAgreement(principle, graderAgreement);
        }
    }

    /**
     * Records one {@link Progress} on slot 0: step, and loss/reward/kl/tokens_per_s or any other figure. PPO's
     * {@code score} (reward before KL shaping) counts as the reward unless a {@code reward} key is present. The
     * cumulative {@link #KEY_TOKENS} needs the previous value to count, so only a {@link Recorder} or a
     * {@link #recording} listener feeds it into {@link #TOKENS}.
     */
    public void record(String phase, Progress progress) {
        record(phase, 0, progress);
    }

    private void record(String phase, int slot, Progress progress) {
        progress.metrics().forEach((name, value) -> {
            if (value == null) {
                return;
            }
            switch (name) {
                case KEY_LOSS -> recordLoss(phase, slot, value);
                case KEY_REWARD -> recordReward(phase, slot, value);
                case KEY_SCORE -> {
                    if (progress.metrics().containsKey(KEY_REWARD)) {
                        phaseMetric(phase, slot, name, value);
                    } else {
                        recordReward(phase, slot, value);
                    }
                }
                case KEY_KL -> recordKl(phase, slot, value);
                case KEY_TOKENS_PER_SECOND -> gauge(TOKENS_PER_SECOND,
                        "Most recent throughput in tokens per second", phaseTags(phase, slot)).set(value);
                case KEY_TOKENS -> { } // a running total: counted by Recorder
                default -> phaseMetric(phase, slot, name, value);
            }
        });
        // The step last: a scrape that shows step N also shows step N's figures.
        recordStep(phase, slot, progress.step(), progress.total());
    }

    private void phaseMetric(String phase, int slot, String name, double value) {
        gauge(PHASE_METRIC, "Other figures phases report with their progress",
                phaseTags(phase, slot).and(tag("name", name))).set(value);
    }

    /** A listener that records every progress of a phase on slot 0 and then hands it to {@code next}. */
    public ProgressListener recording(String phase, ProgressListener next) {
        Objects.requireNonNull(next, "next");
        Recorder recorder = new Recorder(phase, 0, false);
        return progress -> {
            recorder.record(progress);
            next.onProgress(progress);
        };
    }

    /**
     * The recorder of one running activity of {@code phase}: it holds the lowest slot no other running activity of
     * the phase holds on this worker until {@link Recorder#close}.
     */
    public Recorder open(String phase) {
        String key = phase == null ? "" : phase;
        int slot;
        synchronized (slots) {
            java.util.BitSet used = slots.computeIfAbsent(key, k -> new java.util.BitSet());
            slot = used.nextClearBit(0);
            used.set(slot);
        }
        return new Recorder(phase, slot, true);
    }

    /** One activity's progress recording: gauges on its slot, the increase of {@link #KEY_TOKENS} to the counter. */
    public final class Recorder implements AutoCloseable {
        private final String phase;
        private final int slot;
        private final boolean owned;
        private double tokens;
        private boolean closed;

        private Recorder(String phase, int slot, boolean owned) {
            this.phase = phase;
            this.slot = slot;
            this.owned = owned;
        }

        /** The slot this activity's gauges are tagged with. */
        public int slot() {
            return slot;
        }

        /** Records a progress report of this activity. */
        public synchronized void record(Progress progress) {
            SalmonMetrics.this.record(phase, slot, progress);
            Double total = progress.metrics().get(KEY_TOKENS);
            if (total != null && Double.isFinite(total)) {
                // A total below the last one is a new count (a phase restarting its loop): count it from zero.
                addTokens(phase, total >= tokens ? total - tokens : total);
                tokens = total;
            }
        }

        /** Frees the slot for the next activity of the phase (its gauges keep their last values until then). */
        @Override
        public synchronized void close() {
            if (owned && !closed) {
                closed = true;
                synchronized (slots) {
                    slots.get(phase == null ? "" : phase).clear(slot);
                }
            }
        }
    }

    private GaugeValue gauge(String name, String description, Tags tags) {
        return gauges.computeIfAbsent(new GaugeKey(name, tags), key -> {
            GaugeValue value = new GaugeValue();
            Gauge.builder(name, value, GaugeValue::get).description(description).tags(tags)
                    .strongReference(true).register(registry);
            return value;
        });
    }

    private static Tags phaseTags(String phase, int slot) {
        return Tags.of(tag("phase", phase), Tag.of(SLOT, Integer.toString(slot)));
    }

    private static Tag tag(String key, String value) {
        // Micrometer rejects null tag values; an unknown value is still worth a series.
        return Tag.of(key, value == null || value.isBlank() ? "unknown" : value);
    }

    private record GaugeKey(String name, Tags tags) { }

    /** A settable double a gauge reads; volatile is enough since writers replace, never accumulate. */
    private static final class GaugeValue {
        private volatile double value = Double.NaN;

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }
}
