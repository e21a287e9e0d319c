package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Kernels;
import org.rlhf4j.kernels.OpenClSupport;
import org.rlhf4j.kernels.Parallel;

/**
 * The fused head with its launches capped at one and at two work groups, so that every group takes several
 * blocks, loss rows and logits in turn (a path the usual sizing, one group per block, never takes), gives the
 * bits of the uncapped launch: each output is computed by the same arithmetic whichever group computes it.
 * Skipped, with the reason, where there is no OpenCL device.
 */
class OpenClHeadGroupsTest {

    @Test
    void fewerGroupsTakeTheWorkInTurnWithTheSameBits() {
        OpenClSupport.kernels();
        int N = 70, C = 70, V = 300, chunk = 33;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = values(N * C, rnd), w = values(V * C, rnd), dlosses = values(N, rnd);
        int[] targets = new int[N];
        for (int r = 0; r < N; r++) {
            targets[r] = r % 5 == 0 ? -100 : rnd.nextInt(V);
        }
        float[][] reference = null;
        for (int groups : new int[] {OpenClHead.MAX_GROUPS, 1, 2}) {
            try (Parallel p = Parallel.sequential()) {
                Kernels k = new OpenClKernels(p, OpenClDevices.choose(), groups);
                float[] loss = new float[N], lse = new float[N], dx = new float[N * C], dw = new float[V * C];
                k.linearCrossEntropyForward(loss, 0, lse, 0, x, 0, w, 0, targets, 0, N, C, V, -100, chunk, null);
                k.linearCrossEntropyBackward(dx, 0, dw, 0, dlosses, 0, x, 0, w, 0, lse, 0, targets, 0, N, C, V, -100,
                        chunk, null);
                float[][] got = {loss, lse, dx, dw};
                if (reference == null) {
                    reference = got;
                    continue;
                }
                String[] names = {"losses", "lse", "dx", "dw"};
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(reference[i], got[i], 0f, names[i] + " with " + groups + " work group(s)");
                }
            }
        }
    }

    private static float[] values(int n, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        return v;
    }
}
