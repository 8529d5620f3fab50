package salmonrun.activities.salmon;

import salmonrun.activities.principles.Principle;
import salmonrun.activities.principles.PrincipleSet;
import salmonrun.activities.principles.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the principles the reward model is given for one RL prompt: every INTERVENTION principle first
 * (file order), then {@code k} RL principles drawn by weight without replacement, with the prompt-type
 * boosts added to the weights. Each draw renormalises over the principles not yet drawn, as the reference's
 * repeated {@code random.choices} does. Principles of zero weight are never drawn.
 */
public final class RlPrincipleSampler {
    private final List<Principle> intervention;
    private final List<Principle> rl;
    private final int k;
    private final List<WeightBoost> boosts;

    public RlPrincipleSampler(PrincipleSet set, int k, List<WeightBoost> boosts) {
        if (k < 0) {
            throw new InvalidConfigException("principlesPerPrompt", "must be >= 0, got " + k);
        }
        this.intervention = set.withRole(Role.INTERVENTION);
        this.rl = set.withRole(Role.RL);
        this.k = k;
        this.boosts = List.copyOf(boosts);
        if (intervention.isEmpty() && (rl.isEmpty() || k == 0)) {
            throw new IllegalArgumentException("principle set '" + set.name()
                    + "' gives the reward model no principles: it has no intervention principles and "
                    + (rl.isEmpty() ? "no RL principles" : "principlesPerPrompt is 0"));
        }
    }

    /** The effective weight of an RL principle for a prompt type (base weight plus applicable boosts). */
    public double weight(Principle p, int promptType) {
        double w = p.weight();
        for (WeightBoost b : boosts) {
            if (b.appliesTo(promptType, p.name())) {
                w += b.bonus();
            }
        }
        return w;
    }

    /** Intervention principles, then up to k weighted draws without replacement. */
    public List<Principle> sample(int promptType, SplitMixRandom rng) {
        List<Principle> out = new ArrayList<>(intervention);
        List<Principle> remaining = new ArrayList<>(rl);
        List<Double> weights = new ArrayList<>();
        for (Principle p : remaining) {
            weights.add(weight(p, promptType));
        }
        for (int draw = 0; draw < k && !remaining.isEmpty(); draw++) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            if (total <= 0) {
                break;
            }
            double u = rng.nextDouble() * total;
            int pick = -1;
            double acc = 0;
            for (int i = 0; i < remaining.size(); i++) {
                if (weights.get(i) <= 0) {
                    continue;
                }
                pick = i;                 // the last positive one also absorbs floating-point round-off
                acc += weights.get(i);
                if (u < acc) {
                    break;
                }
            }
            out.add(remaining.remove(pick));
            weights.remove(pick);
        }
        return out;
    }
}
