package org.rlhf4j.kernels.simd;

import org.rlhf4j.kernels.Parallel;

/**
 * Matrix multiply on the Vector API. PLACEHOLDER: plain loops until the blocked, packed kernel lands.
 */
final class SimdMatmul {

    private SimdMatmul() {
    }

    /** Same contract as {@link org.rlhf4j.kernels.Kernels#matmul}. */
    static void matmul(Parallel parallel, float[] out, int outOff, float[] a, int aOff, float[] b, int bOff,
                       int batch, int M, int K, int N, boolean transA, boolean transB,
                       boolean shareB, boolean accumulate) {
        for (int bt = 0; bt < batch; bt++) {
            int ao = aOff + bt * M * K, bo = bOff + (shareB ? 0 : bt * K * N), oo = outOff + bt * M * N;
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    float s = 0f;
                    for (int k = 0; k < K; k++) {
                        float av = transA ? a[ao + k * M + i] : a[ao + i * K + k];
                        float bv = transB ? b[bo + j * K + k] : b[bo + k * N + j];
                        s += av * bv;
                    }
                    out[oo + i * N + j] = accumulate ? out[oo + i * N + j] + s : s;
                }
            }
        }
    }
}
