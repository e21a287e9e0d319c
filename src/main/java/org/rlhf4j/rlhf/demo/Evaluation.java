package org.rlhf4j.rlhf.demo;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.tokenizer.Tokenizer;
import org.rlhf4j.feedback.Annotator;
import org.rlhf4j.feedback.AnnotatorPanel;
import org.rlhf4j.feedback.VaderAnnotator;
import org.rlhf4j.feedback.VaderLexicon;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.tensor.Autograd;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.NoGrad;

/**
 * Stage 6: the tuned policy against the frozen reference on the held-out prompts. For each prompt, both
 * models draw {@code evalSamples} responses with generators of the same seed (a paired comparison: the
 * same random numbers, so differences come from the models); the j-th sample of each forms a head-to-head.
 * <ol>
 *   <li>reward: the reward model's (normalized) score of every response; mean and spread per model</li>
 *   <li>KL: for each tuned sample y, {@code sum_t log pi(y_t | x, y_<t) - log ref(y_t | x, y_<t)} with both
 *       log-probs at the sampling temperature; the mean over samples drawn from pi is an unbiased
 *       estimate of KL(pi || ref) per response, in nats (k1, RLHF.md stage 3 step 4)</li>
 *   <li>panel: a fresh VADER panel (its own seed, not the labelling panel's) scores both responses of
 *       every head-to-head; each annotator votes for the higher score (abstains on equal scores) and the
 *       majority decides; no majority is a tie. Win rate = (wins + ties / 2) / head-to-heads</li>
 *   <li>diversity: distinct-1 and distinct-2 of each model's responses ({@link TextStats})</li>
 *   <li>sentiment: the ground truth the panel follows (sum of the words' mean human ratings)</li>
 * </ol>
 */
public final class Evaluation {

    /** Who a head-to-head went to. */
    public enum Verdict { TUNED, REFERENCE, TIE }

    /** One head-to-head: the same prompt, the j-th sample of each model. */
    public record Pair(String prompt, String reference, String tuned, double referenceReward, double tunedReward,
                       double tunedKl, Verdict verdict) {
    }

    /**
     * The measures. Rewards are the reward model's normalized scores; {@code kl} is in nats per response.
     */
    public record Result(List<Pair> pairs, double rewardBefore, double rewardBeforeStd, double rewardAfter,
                         double rewardAfterStd, double kl, int wins, int ties, int losses, double distinct1Before,
                         double distinct1After, double distinct2Before, double distinct2After,
                         double sentimentBefore, double sentimentAfter) {

        public Result {
            pairs = List.copyOf(pairs);
        }

        /** (wins + ties / 2) / head-to-heads: a tie counts half, as in pairwise evaluations that allow ties. */
        public double winRate() {
            return (wins + 0.5 * ties) / Math.max(1, wins + ties + losses);
        }

        /** wins / head-to-heads: the strictest reading, a tie counts as not preferred. */
        public double winRateStrict() {
            return (double) wins / Math.max(1, wins + ties + losses);
        }

        /**
         * A 95% percentile-bootstrap interval of {@link #winRate()} (Efron and Tibshirani 1993, ch. 13),
         * resampling prompts, not head-to-heads: the samples of one prompt are not independent. 2,000
         * resamples from a generator seeded with {@code seed}; {lower, upper}.
         */
        public double[] winRateInterval(long seed) {
            List<String> prompts = new ArrayList<>();
            List<double[]> perPrompt = new ArrayList<>(); // {points, head-to-heads} per prompt
            for (Pair p : pairs) {
                if (prompts.isEmpty() || !prompts.get(prompts.size() - 1).equals(p.prompt())) {
                    prompts.add(p.prompt());
                    perPrompt.add(new double[2]);
                }
                double[] acc = perPrompt.get(perPrompt.size() - 1);
                acc[0] += p.verdict() == Verdict.TUNED ? 1 : p.verdict() == Verdict.TIE ? 0.5 : 0;
                acc[1]++;
            }
            int n = perPrompt.size(), resamples = 2000;
            if (n == 0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            Generator g = new Generator(seed);
            double[] rates = new double[resamples];
            for (int b = 0; b < resamples; b++) {
                double points = 0, count = 0;
                for (int i = 0; i < n; i++) {
                    double[] acc = perPrompt.get(g.nextInt(n));
                    points += acc[0];
                    count += acc[1];
                }
                rates[b] = points / count;
            }
            java.util.Arrays.sort(rates);
            return new double[] {rates[(int) (0.025 * resamples)], rates[(int) (0.975 * resamples) - 1]};
        }
    }

    private Evaluation() {
    }

    public static Result run(DemoConfig cfg, List<String> prompts, Gpt reference, Gpt tuned, Tokenizer tokenizer,
                             RewardSource reward, VaderLexicon lexicon) {
        List<String> ps = new ArrayList<>(), refs = new ArrayList<>(), tuneds = new ArrayList<>();
        List<Double> kls = new ArrayList<>();
        float temp = cfg.temperature();
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = tokenizer.encode(prompts.get(i));
            long seed = Seeds.derive(cfg.seed(), "eval-samples", i);
            int[][] r = BatchSampler.sample(reference, prompt, cfg.evalSamples(), cfg.responseTokens(), temp,
                    new Generator(seed));
            int[][] t = BatchSampler.sample(tuned, prompt, cfg.evalSamples(), cfg.responseTokens(), temp,
                    new Generator(seed));
            double[] lpTuned = logProbs(tuned, prompt, t, temp), lpRef = logProbs(reference, prompt, t, temp);
            for (int j = 0; j < t.length; j++) {
                ps.add(prompts.get(i));
                refs.add(tokenizer.decode(r[j]));
                tuneds.add(tokenizer.decode(t[j]));
                kls.add(lpTuned[j] - lpRef[j]);
            }
        }
        float[] rRef = reward.score(ps, refs), rTuned = reward.score(ps, tuneds);
        AnnotatorPanel panel = AnnotatorPanel.vader(lexicon, cfg.evalPanelSize(), Seeds.derive(cfg.seed(), "eval-panel"));
        Annotator truth = VaderAnnotator.groundTruth(lexicon);
        List<Pair> pairs = new ArrayList<>();
        int wins = 0, ties = 0, losses = 0;
        double[] sentRef = new double[ps.size()], sentTuned = new double[ps.size()];
        for (int k = 0; k < ps.size(); k++) {
            int forTuned = 0, forRef = 0;
            for (Annotator a : panel.annotators()) {
                double st = a.score(ps.get(k), tuneds.get(k)), sr = a.score(ps.get(k), refs.get(k));
                forTuned += st > sr ? 1 : 0;
                forRef += sr > st ? 1 : 0;
            }
            Verdict v = forTuned > forRef ? Verdict.TUNED : forRef > forTuned ? Verdict.REFERENCE : Verdict.TIE;
            switch (v) {
                case TUNED -> wins++;
                case REFERENCE -> losses++;
                case TIE -> ties++;
            }
            sentRef[k] = truth.score(ps.get(k), refs.get(k));
            sentTuned[k] = truth.score(ps.get(k), tuneds.get(k));
            pairs.add(new Pair(ps.get(k), refs.get(k), tuneds.get(k), rRef[k], rTuned[k], kls.get(k), v));
        }
        double[] before = toDouble(rRef), after = toDouble(rTuned);
        return new Result(pairs, TextStats.mean(before), TextStats.std(before), TextStats.mean(after),
                TextStats.std(after), kls.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                wins, ties, losses, TextStats.distinctN(refs, 1), TextStats.distinctN(tuneds, 1),
                TextStats.distinctN(refs, 2), TextStats.distinctN(tuneds, 2), TextStats.mean(sentRef),
                TextStats.mean(sentTuned));
    }

    /**
     * log p(response | prompt) under {@code model} at {@code temperature}, summed over the response's
     * tokens, for each row of {@code responses} (all the same length): one forward pass over
     * prompt ++ response, then a log-softmax of logits / temperature at each position before a response token.
     */
    @SuppressWarnings("try") // the no-grad scope is used only for its extent
    static double[] logProbs(Gpt model, int[] prompt, int[][] responses, float temperature) {
        int n = responses.length, P = prompt.length, L = responses[0].length, T = P + L, V = model.config.vocabSize();
        int[] ids = new int[n * T];
        for (int b = 0; b < n; b++) {
            System.arraycopy(prompt, 0, ids, b * T, P);
            System.arraycopy(responses[b], 0, ids, b * T + P, L);
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        float[] logits;
        try (NoGrad ignored = Autograd.noGrad()) {
            logits = model.forward(ids, n, T).toArray(); // (n, T, V)
        } finally {
            model.train(wasTraining);
        }
        double[] out = new double[n];
        for (int b = 0; b < n; b++) {
            for (int t = P - 1; t < T - 1; t++) { // position t predicts token t + 1
                int base = (b * T + t) * V;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int v = 0; v < V; v++) {
                    max = Math.max(max, logits[base + v] / (double) temperature);
                }
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(logits[base + v] / (double) temperature - max);
                }
                out[b] += logits[base + ids[b * T + t + 1]] / (double) temperature - max - Math.log(sum);
            }
        }
        return out;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
