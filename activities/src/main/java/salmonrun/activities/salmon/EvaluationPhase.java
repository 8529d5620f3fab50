package salmonrun.activities.salmon;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import salmonrun.activities.lineage.Artifact;
import salmonrun.activities.lineage.ArtifactEdge;
import salmonrun.activities.model.LlamaModel;
import salmonrun.activities.model.NoGrad;
import salmonrun.activities.model.ScalarHeadModel;
import salmonrun.activities.model.checkpoint.Checkpoint;
import salmonrun.activities.model.generate.Generation;
import salmonrun.activities.model.generate.Generator;
import salmonrun.activities.model.generate.SamplingParams;
import salmonrun.activities.model.tokenizer.TextTokenizer;
import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.sandbox.Attribute;
import salmonrun.activities.sandbox.Grade;
import salmonrun.activities.sandbox.Grader;
import salmonrun.activities.sandbox.Instruction;
import salmonrun.activities.sandbox.Verdict;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase P13: evaluates a model on a list of instructions: samples answers (chat format 1), and reports length
 * statistics, KL to a reference model, the reward model's score under a chosen principle set, and for sandbox
 * instructions the grader's attribute rates and composite. Each evaluation is an {@code evaluation} artifact whose
 * file holds one graded sample per line and whose metadata holds the summary; {@link #compare} puts two
 * evaluations side by side (win rate under the grader).
 */
public final class EvaluationPhase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationPhase() {}

    /** Sampling and scoring settings. */
    public record Settings(int maxNewTokens, double temperature, long seed, int microBatch, int principlesPerPrompt,
                           RewardModelPrompt.Limits rewardLimits) {
        public Settings {
            ConfigOverrides.positive(maxNewTokens, "maxNewTokens");
            ConfigOverrides.positive(microBatch, "microBatch");
            ConfigOverrides.require(temperature >= 0 && Double.isFinite(temperature), "temperature",
                    "must be >= 0, got " + temperature);
            ConfigOverrides.require(principlesPerPrompt >= 0, "principlesPerPrompt", "must be >= 0, got " + principlesPerPrompt);
            ConfigOverrides.require(rewardLimits != null, "rewardLimits", "must be given");
        }

        /** Reference-like sampling (T=0.7) with the PPO defaults' reward-model limits. */
        public static Settings defaults() {
            return new Settings(256, 0.7, 1234, 8, 3, PpoConfig.defaults().rewardLimits());
        }
    }

    /** One instruction to answer: its user turn and, in the sandbox, the instruction the grader checks against. */
    public record Item(String userTurn, Instruction sandbox) {
        public static Item of(Instruction ins) {
            return new Item(ins.text(), ins);
        }
    }

    /** One graded answer. {@code rmScore}, {@code kl} are NaN and {@code composite} null when not measured. */
    public record Sample(String instruction, String kind, String response, boolean finished, int tokens, double rmScore,
                         double kl, Integer composite, Map<String, String> attributes) {}

    /** Summary figures; null where not measured. */
    public record Report(int n, double meanTokens, double medianTokens, double meanChars, double finishedRate,
                         Double rmScore, Double kl, Double composite, Map<String, Double> attributeTrueRates) {}

    /** The registered evaluation and its summary. */
    public record Result(long evaluationArtifactId, Report report, List<Sample> samples) {}

    /**
     * Samples and scores answers.
     *
     * @param reference   model for the KL estimate, or null
     * @param rewardModel reward model for scores, or null
     * @param principles  principle set the reward model is given (intervention first, then sampled), or null
     */
    public static List<Sample> sampleAndScore(LlamaModel model, TextTokenizer tokenizer, LlamaModel reference,
                                              InstructableRewardModel rewardModel, PrincipleSet principles,
                                              ChatFormat format, List<Item> items, Settings s) {
        SamplingParams params = new SamplingParams(s.maxNewTokens(), s.temperature(), 1.0, 0,
                List.of(ChatFormat.END_OF_TURN), List.of());
        Generator generator = new Generator(model, tokenizer);
        List<int[]> queries = new ArrayList<>();
        for (Item it : items) {
            queries.add(tokenizer.encode(format.prompt(format.conciseSystemPrompt(), it.userTurn())));
        }
        List<Generation> gens = new ArrayList<>();
        for (int from = 0; from < items.size(); from += s.microBatch()) {
            int to = Math.min(items.size(), from + s.microBatch());
            long[] seeds = new long[to - from];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = s.seed() + from + i;
            }
            gens.addAll(generator.generate(queries.subList(from, to).toArray(new int[0][]), params, seeds, true));
        }
        List<String> responses = gens.stream().map(g -> PpoTrainer.forReward(g.text())).toList();
        double[] kl = new double[items.size()];
        Arrays.fill(kl, Double.NaN);
        if (reference != null) {
            int pad = InstructableRewardModel.padIdOf(tokenizer, model);
            float temp = (float) (s.temperature() > 0 ? s.temperature() : 1.0);
            try (NoGrad ignored = new NoGrad()) {
                for (int from = 0; from < items.size(); from += s.microBatch()) {
                    int to = Math.min(items.size(), from + s.microBatch());
                    List<int[]> resp = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        int[] t = gens.get(i).tokens();
                        resp.add(t.length == 0 ? new int[] {pad} : t);
                    }
                    QueryResponseBatch qr = new QueryResponseBatch(queries.subList(from, to), resp, pad);
                    try (NDManager m = model.manager().newSubManager()) {
                        float[][] lp = qr.trimmed(qr.logProbs(model, m, temp));
                        float[][] ref = qr.trimmed(qr.logProbs(reference, m, temp));
                        for (int i = 0; i < lp.length; i++) {
                            double sum = 0;
                            for (int t = 0; t < lp[i].length; t++) {
                                sum += lp[i][t] - ref[i][t];
                            }
                            kl[from + i] = sum;
                        }
                    }
                }
            }
        }
        double[] rm = new double[items.size()];
        Arrays.fill(rm, Double.NaN);
        if (rewardModel != null && principles != null) {
            rm = rewardScores(rewardModel, principles, items.stream().map(Item::userTurn).toList(), responses,
                    s.principlesPerPrompt(), PpoConfig.defaults().boosts(), s.seed(), s.microBatch(),
                    items.stream().map(i -> i.sandbox() == null ? 0 : questionType(i.sandbox())).toList());
        }
        Grader grader = new Grader();
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            Integer composite = null;
            Map<String, String> attrs = new TreeMap<>();
            if (it.sandbox() != null) {
                Grade g = grader.grade(it.sandbox(), responses.get(i));
                composite = g.composite();
                g.attributes().forEach((a, v) -> attrs.put(a.jsonName(), v.name()));
            }
            out.add(new Sample(it.userTurn(), it.sandbox() == null ? null : it.sandbox().kind().name(), responses.get(i),
                    !"length".equals(gens.get(i).finishReason()), gens.get(i).tokens().length, rm[i], kl[i], composite,
                    attrs));
        }
        return out;
    }

    /** The sandbox kinds that count as reasoning prompts (type 1) for principle boosts; harmful ones as type 2. */
    static int questionType(Instruction ins) {
        return switch (ins.kind()) {
            case ARITHMETIC, LIST -> 1;
            case HARMFUL -> 2;
            default -> 0;
        };
    }

    /** Reward-model scores of responses under a principle set (intervention first, then k sampled, seeded). */
    public static double[] rewardScores(InstructableRewardModel rm, PrincipleSet principles, List<String> instructions,
                                        List<String> responses, int k, List<WeightBoost> boosts, long seed,
                                        int microBatch, List<Integer> questionTypes) {
        RlPrincipleSampler sampler = new RlPrincipleSampler(principles, k, boosts);
        SplitMixRandom rng = new SplitMixRandom(seed);
        List<InstructableRewardModel.Input> in = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            List<Principle> shown = sampler.sample(questionTypes.get(i), rng);
            in.add(new InstructableRewardModel.Input(responses.get(i), instructions.get(i),
                    RewardModelPrompt.definitions(shown)));
        }
        return rm.score(in, microBatch);
    }

    /** Summary figures of samples. */
    public static Report summarise(List<Sample> samples) {
        int n = samples.size();
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: no instructions");
        }
        int[] tokens = samples.stream().mapToInt(Sample::tokens).sorted().toArray();
        double median = n % 2 == 1 ? tokens[n / 2] : (tokens[n / 2 - 1] + tokens[n / 2]) / 2.0;
        Map<String, int[]> attr = new TreeMap<>();
        for (Sample s : samples) {
            s.attributes().forEach((a, v) -> {
                int[] c = attr.computeIfAbsent(a, k -> new int[2]);
                if (!Verdict.UNKNOWN.name().equals(v)) {
                    c[1]++;
                    if (Verdict.TRUE.name().equals(v)) {
                        c[0]++;
                    }
                }
            });
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Attribute a : Attribute.values()) {
            int[] c = attr.get(a.jsonName());
            if (c != null && c[1] > 0) {
                rates.put(a.jsonName(), (double) c[0] / c[1]);
            }
        }
        return new Report(n, Arrays.stream(tokens).average().orElse(0), median,
                samples.stream().mapToInt(s -> s.response().length()).average().orElse(0),
                samples.stream().filter(Sample::finished).count() / (double) n,
                mean(samples.stream().mapToDouble(Sample::rmScore).toArray()),
                mean(samples.stream().mapToDouble(Sample::kl).toArray()),
                samples.stream().allMatch(s -> s.composite() == null) ? null
                        : samples.stream().filter(s -> s.composite() != null).mapToInt(Sample::composite).average().orElse(0),
                rates);
    }

    private static Double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /**
     * Evaluates a model checkpoint and registers the evaluation.
     *
     * @param referenceId   checkpoint for KL, or null
     * @param rewardModelId reward-model checkpoint for scores, or null (then {@code principles} is unused)
     */
    public static Result evaluate(PhaseContext ctx, long modelId, Long referenceId, Long rewardModelId,
                                  PrincipleSet principles, ChatFormat format, List<Item> items, Settings s) {
        List<ArtifactEdge> inputs = new ArrayList<>(List.of(new ArtifactEdge(modelId, "model")));
        try (TextTokenizer tok = Checkpoint.loadTokenizer(Checkpoints.dir(ctx, modelId));
             LlamaModel model = Checkpoint.loadDecoder(Checkpoints.dir(ctx, modelId), Device.cpu());
             LlamaModel ref = referenceId == null ? null : Checkpoint.loadDecoder(Checkpoints.dir(ctx, referenceId), Device.cpu());
             ScalarHeadModel rmModel = rewardModelId == null ? null
                     : Checkpoint.loadScalarHead(Checkpoints.dir(ctx, rewardModelId), Device.cpu());
             TextTokenizer rmTok = rewardModelId == null ? null : Checkpoint.loadTokenizer(Checkpoints.dir(ctx, rewardModelId))) {
            if (referenceId != null) {
                inputs.add(new ArtifactEdge(referenceId, "reference"));
            }
            InstructableRewardModel rm = null;
            if (rmModel != null) {
                // The default limits are the reference's (1,280 tokens); a sandbox reward model reads at most its
                // context, so its prompts are cut to that instead of failing.
                RewardModelPrompt.Limits l = s.rewardLimits();
                int context = rmModel.config().maxPositionEmbeddings();
                rm = new InstructableRewardModel(rmModel, rmTok, context > 0 && context < l.maxTokens()
                        ? new RewardModelPrompt.Limits(context, l.maxInstructionTokens(), l.maxResponseTokens()) : l);
                inputs.add(new ArtifactEdge(rewardModelId, "reward-model"));
            }
            ctx.report("evaluate", 0, items.size(), Map.of(), null);
            List<Sample> samples = sampleAndScore(model, tok, ref, rm, principles, format, items, s);
            Report report = summarise(samples);
            ObjectNode meta = JSON.createObjectNode().put("kind", "model-evaluation");
            meta.set("report", JSON.valueToTree(report));
            meta.set("settings", JSON.valueToTree(Map.of("max_new_tokens", s.maxNewTokens(), "temperature",
                    s.temperature(), "seed", s.seed(), "principles_per_prompt", s.principlesPerPrompt())));
            if (principles != null && rewardModelId != null) {
                meta.put("principle_set", principles.name());
                if (principles.contentHash() != null) {
                    meta.put("principle_set_hash", principles.contentHash());
                }
            }
            Artifact a = ctx.register("evaluation", toJsonl(samples), meta, inputs);
            Map<String, Double> done = new LinkedHashMap<>(figures(report));
            done.put("tokens", (double) samples.stream().mapToLong(Sample::tokens).sum());
            ctx.report("evaluate", items.size(), items.size(), done, null);
            return new Result(a.id(), report, samples);
        }
    }

    static Map<String, Double> figures(Report r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mean_tokens", r.meanTokens());
        m.put("finished_rate", r.finishedRate());
        if (r.rmScore() != null) {
            m.put("rm_score", r.rmScore());
        }
        if (r.kl() != null) {
            m.put("kl", r.kl());
        }
        if (r.composite() != null) {
            m.put("composite", r.composite());
        }
        return m;
    }

    static byte[] toJsonl(List<Sample> samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Sample s : samples) {
            ObjectNode o = JSON.createObjectNode().put("instruction", s.instruction()).put("kind", s.kind())
                    .put("response", s.response()).put("finished", s.finished()).put("tokens", s.tokens());
            putNumber(o, "rm_score", s.rmScore());
            putNumber(o, "kl", s.kl());
            if (s.composite() != null) {
                o.put("composite", s.composite());
            }
            o.set("attributes", JSON.valueToTree(s.attributes()));
            out.writeBytes(o.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** Parses an evaluation artifact's file. */
    public static List<Sample> readSamples(byte[] bytes) {
        List<Sample> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                Map<String, String> attrs = new TreeMap<>();
                n.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
                out.add(new Sample(n.get("instruction").asText(), n.hasNonNull("kind") ? n.get("kind").asText() : null,
                        n.get("response").asText(), n.get("finished").asBoolean(), n.get("tokens").asInt(),
                        n.hasNonNull("rm_score") ? n.get("rm_score").asDouble() : Double.NaN,
                        n.hasNonNull("kl") ? n.get("kl").asDouble() : Double.NaN,
                        n.hasNonNull("composite") ? n.get("composite").asInt() : null, attrs));
            } catch (IOException e) {
                throw new IllegalArgumentException("evaluation file: bad line: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Side-by-side comparison of two evaluations on the same instructions. */
    public record Comparison(long artifactId, int pairs, int winsA, int winsB, int ties, double winRateA) {}

    /**
     * Compares evaluations A and B instruction by instruction under the grader's composite; the win rate counts a
     * tie as half. Instructions present in only one evaluation are left out; none in common is an error.
     */
    public static Comparison compare(PhaseContext ctx, long evaluationA, long evaluationB) {
        List<Sample> a = readSamples(ctx.read(evaluationA, "evaluation"));
        List<Sample> b = readSamples(ctx.read(evaluationB, "evaluation"));
        Map<String, Sample> byInstruction = new LinkedHashMap<>();
        b.forEach(s -> byInstruction.put(s.instruction(), s));
        int winsA = 0;
        int winsB = 0;
        int ties = 0;
        for (Sample sa : a) {
            Sample sb = byInstruction.get(sa.instruction());
            if (sb == null || sa.composite() == null || sb.composite() == null) {
                continue;
            }
            int c = Integer.compare(sa.composite(), sb.composite());
            if (c > 0) {
                winsA++;
            } else if (c < 0) {
                winsB++;
            } else {
                ties++;
            }
        }
        int n = winsA + winsB + ties;
        if (n == 0) {
            throw new IllegalArgumentException("evaluations " + evaluationA + " and " + evaluationB
                    + " share no graded instruction to compare");
        }
        double rate = (winsA + 0.5 * ties) / n;
        ObjectNode meta = JSON.createObjectNode().put("kind", "comparison").put("evaluation_a", evaluationA)
                .put("evaluation_b", evaluationB).put("pairs", n).put("wins_a", winsA).put("wins_b", winsB)
                .put("ties", ties).put("win_rate_a", rate);
        Artifact art = ctx.register("evaluation", meta.toString().getBytes(StandardCharsets.UTF_8), meta,
                List.of(new ArtifactEdge(evaluationA, "a"), new ArtifactEdge(evaluationB, "b")));
        return new Comparison(art.id(), n, winsA, winsB, ties, rate);
    }
}
