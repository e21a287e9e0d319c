package org.rlhf4j.kernels.simd;

import java.util.Random;
import java.util.zip.CRC32;
import org.rlhf4j.kernels.Parallel;

/**
 * Child-JVM main for {@link SimdTileRowsTest}: runs a fixed list of products through the SIMD matmul on 2
 * threads (every transpose, batched and shared B, accumulation, edges in both directions, K over KC) and
 * prints the register tile's rows and a CRC-32 of every output bit: {@code rows=6 crc=...}.
 */
public final class TileRowsProbe {

    /** batch, M, K, N, transA, transB, shareB, accumulate. */
    static final int[][] CASES = {
        {1, 37, 19, 41, 0, 0, 1, 0}, {1, 37, 19, 41, 1, 0, 1, 1}, {1, 37, 19, 41, 0, 1, 1, 0},
        {1, 37, 19, 41, 1, 1, 1, 1}, {1, 96, 128, 64, 0, 0, 1, 0}, {3, 29, 33, 47, 0, 1, 0, 1},
        {3, 29, 33, 47, 1, 0, 1, 0}, {1, 131, 1100, 35, 0, 0, 1, 1}, {5, 64, 32, 64, 0, 1, 0, 0},
        {1, 13, 200, 300, 1, 0, 1, 0}, {1, 7, 64, 40, 0, 1, 1, 1},
    };

    private TileRowsProbe() {
    }

    public static void main(String[] args) {
        System.out.println("rows=" + SimdMatmulKernel.MR + " crc=" + crcOfProducts());
    }

    /** The CRC-32 of the raw bits of every product's output, in order. */
    static long crcOfProducts() {
        CRC32 crc = new CRC32();
        Random rng = new Random(20261206);
        try (Parallel parallel = Parallel.ofThreads(2)) {
            SimdKernels k = new SimdKernels(parallel);
            for (int[] c : CASES) {
                int batch = c[0], M = c[1], K = c[2], N = c[3];
                boolean shareB = c[6] == 1, accumulate = c[7] == 1;
                float[] a = gaussian(rng, batch * M * K), b = gaussian(rng, (shareB ? 1 : batch) * K * N);
                float[] out = gaussian(rng, batch * M * N);
                k.matmul(out, 0, a, 0, b, 0, batch, M, K, N, c[4] == 1, c[5] == 1, shareB, accumulate);
                for (float v : out) {
                    int bits = Float.floatToRawIntBits(v);
                    crc.update(new byte[] {(byte) bits, (byte) (bits >>> 8), (byte) (bits >>> 16), (byte) (bits >>> 24)});
                }
            }
        }
        return crc.getValue();
    }

    private static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
