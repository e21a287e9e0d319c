package org.rlhf4j.testing;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;
import org.rlhf4j.feedback.PairwisePreference;
import org.rlhf4j.nn.Linear;
import org.rlhf4j.rlhf.RewardSource;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;

/**
 * The worked example of docs/property-testing.md, kept compiling and passing: a user's own DPO-style loss and
 * reward rule, tested with the kit. Code in the doc is copied from here.
 */
class UserExampleTest {

    // ---- the user's code ------------------------------------------------------------------------------

    /**
     * DPO (Rafailov et al. 2023, Eq. 7): {@code mean(-log sigma(beta ((pi_w - ref_w) - (pi_l - ref_l))))} over P
     * pairs of sequence log-probs; the reference's are constants.
     */
    static Tensor dpoLoss(Tensor policyChosen, Tensor policyRejected, float[] refChosen, float[] refRejected,
                          float beta) {
        int P = policyChosen.size();
        Tensor chosen = policyChosen.sub(Tensor.of(refChosen, P));       // (P) log pi_w - log ref_w
        Tensor rejected = policyRejected.sub(Tensor.of(refRejected, P)); // (P) log pi_l - log ref_l
        return chosen.sub(rejected).scale(beta).logSigmoid().neg().mean();
    }

    /** The same in double, over flat arrays: the reference the gradient check compares with. */
    static double dpoLossReference(double[] pc, double[] pr, float[] rc, float[] rr, double beta) {
        double sum = 0;
        for (int i = 0; i < pc.length; i++) {
            double x = beta * ((pc[i] - rc[i]) - (pr[i] - rr[i]));
            sum += Math.log1p(Math.exp(-x));                                 // -log sigma(x), fine for |x| < 700
        }
        return sum / pc.length;
    }

    /** A reward rule: polite and short answers, penalising "thanks" spam (the reward hack of DeepSpeedExamples#491). */
    static final RewardSource POLITE_AND_SHORT = RewardSource.fromFunction((prompt, response) -> {
        double score = response.contains("please") ? 1.0 : 0.0;
        score -= 0.5 * (response.split("thanks", -1).length - 1);
        return score - response.length() / 100.0;
    });

    // ---- the user's tests -----------------------------------------------------------------------------

    private static final float[] REF_CHOSEN = {-3.1f, -7.0f, -2.2f}, REF_REJECTED = {-2.9f, -6.5f, -4.0f};

    @Test
    void dpoGradientsMatchFiniteDifferences() {
        GradientCheck.of(in -> dpoLoss(in[0], in[1], REF_CHOSEN, REF_REJECTED, 0.1f))
                .name("dpo")
                .inputs(Tensor.vector(-3.0f, -6.8f, -2.5f).requiresGrad(true),
                        Tensor.vector(-3.3f, -6.1f, -3.7f).requiresGrad(true))
                .reference(x -> new double[] {dpoLossReference(x[0], x[1], REF_CHOSEN, REF_REJECTED, 0.1)})
                .check();
    }

    /** DPO is Bradley-Terry on the implicit reward beta (log pi - log ref): the same properties must hold. */
    @Property(tries = 200)
    void dpoIsABradleyTerryLoss(@ForAll @FloatRange(min = -20, max = 20) float lead,
                                @ForAll @FloatRange(min = 0.01f, max = 5) float step) {
        PreferenceInvariants.PairwiseLoss dpo = (w, l) -> dpoLoss(Tensor.vector((float) w), Tensor.vector((float) l),
                new float[1], new float[1], 1f).item();
        PreferenceInvariants.assertTieCostsLog2(dpo, lead, 1e-6);   // policy = reference: log 2, whatever the log-probs
        PreferenceInvariants.assertFallsAsTheLeadGrows(dpo, lead, step, false);
    }

    @Provide
    Arbitrary<List<PairwisePreference>> batches() {
        return RlhfArbitraries.pairwisePreferences().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void theRewardRuleScoresConsistently(@ForAll("batches") List<PairwisePreference> batch) {
        List<String> prompts = batch.stream().map(PairwisePreference::prompt).toList();
        List<String> responses = batch.stream().map(PairwisePreference::chosen).toList();
        RlhfInvariants.assertRewardSourceConsistent(POLITE_AND_SHORT, prompts, responses, 0);
    }

    /** A module's gradients, JAX-style along random directions, through the user's loss. */
    @Test
    void aModuleUnderTheUsersLoss() {
        Linear head = new Linear(4, 1, true, 0.5f, new Generator(3));
        Tensor x = Tensor.of(new float[] {0.3f, -1.2f, 0.8f, 2.0f, -0.4f, 0.1f, 1.5f, -0.9f}, 2, 4);
        GradientCheck.ofModule(head, () -> head.forward(x).tanh().sum()).check();
    }
}
