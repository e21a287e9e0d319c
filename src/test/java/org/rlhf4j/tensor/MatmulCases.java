package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.GradCases.values;

import java.util.Arrays;
import java.util.Random;
import org.rlhf4j.tensor.GradCases.Case;

/**
 * Matmul cases: 2-D, batched with equal batch dims, batched times a shared 2-D right operand, each
 * with random transpose flags; sizes taken from the generated dims (0 allowed: an empty product).
 */
final class MatmulCases {

    private MatmulCases() {
    }

    private static int pick(int[] dims, int i, Random rnd) {
        return i < dims.length ? dims[i] : 1 + rnd.nextInt(4);
    }

    static Case build(int[] dims, Random rnd) {
        int M = pick(dims, 0, rnd), K = pick(dims, 1, rnd), N = pick(dims, 2, rnd);
        boolean ta = rnd.nextBoolean(), tb = rnd.nextBoolean();
        int mode = rnd.nextInt(3); // 0: 2-D, 1: batched, 2: batched · shared 2-D
        int[] batchDims = mode == 0 ? new int[0] : rnd.nextBoolean() ? new int[] {1 + rnd.nextInt(3)}
                : new int[] {2, 1 + rnd.nextInt(2)};
        int batch = DoubleRef.size(batchDims);
        int[] ad = withBatch(batchDims, ta ? K : M, ta ? M : K);
        int[] bd = withBatch(mode == 1 ? batchDims : new int[0], tb ? N : K, tb ? K : N);
        Tensor a = Tensor.of(values(DoubleRef.size(ad), rnd, -2, 2), ad).requiresGrad(true);
        Tensor b = Tensor.of(values(DoubleRef.size(bd), rnd, -2, 2), bd).requiresGrad(true);
        boolean bBatched = mode == 1;
        return new Case("matmul " + Arrays.toString(ad) + (ta ? "^T" : "") + " " + Arrays.toString(bd) + (tb ? "^T" : ""),
                new Tensor[] {a, b}, in -> in[0].matmul(in[1], ta, tb),
                x -> DoubleRef.matmul(x[0], x[1], batch, M, K, N, ta, tb, bBatched));
    }

    private static int[] withBatch(int[] batchDims, int rows, int cols) {
        int[] d = Arrays.copyOf(batchDims, batchDims.length + 2);
        d[batchDims.length] = rows;
        d[batchDims.length + 1] = cols;
        return d;
    }
}
