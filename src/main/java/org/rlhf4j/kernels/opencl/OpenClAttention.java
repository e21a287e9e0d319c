package org.rlhf4j.kernels.opencl;

/**
 * The launches of {@link AttentionKernel} for {@link OpenClKernels#attentionForward} and
 * {@link OpenClKernels#attentionBackward}, once those have sent degenerate shapes and aliased arrays to the CPU:
 * what goes up, what comes down, and the backward's device-only scratch. Launches are serialised on the kernel.
 */
final class OpenClAttention {

    /** Bound to the array fields a launch does not use (Aparapi binds every array its kernel mentions). */
    private static final float[] NONE = new float[1];

    private final Launcher dev;
    private final AttentionKernel kernel = new AttentionKernel();
    /**
     * The backward's dS (B, NH, T, T): device-only scratch, never copied, kept bound to the kernel so that its
     * device buffer is reused; it grows to the largest call's size and stays (50 MB for GPT-2's 12 heads at
     * B 1, T 1024; B NH T^2 floats in general).
     */
    private float[] scratch = NONE;

    OpenClAttention(Launcher dev) {
        this.dev = dev;
        dev.prepare(kernel);
    }

    /** One launch: qkv up; out and P, overwritten in their windows, down. */
    void forward(float[] out, int outOff, float[] probs, int probsOff, float[] qkv, int qkvOff,
                 int B, int T, int NH, int HS, float scale) {
        AttentionKernel k = kernel;
        synchronized (k) {
            set(AttentionKernel.FORWARD, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
            k.out = out;
            k.outOff = outOff;
            dev.put(k, qkv);
            dev.putUnlessOverwritten(k, out, outOff, B * T * NH * HS, false);
            dev.putUnlessOverwritten(k, probs, probsOff, B * NH * T * T, false);
            dev.launch(k, dev.range(B * NH * T));
            dev.get(k, out);
            dev.get(k, probs);
        }
    }

    /**
     * One launch of two passes: qkv, P, dout and the accumulated dqkv up; dqkv down; dS stays on the device between
     * the passes.
     */
    void backward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] probs, int probsOff,
                  float[] qkv, int qkvOff, int B, int T, int NH, int HS, float scale) {
        AttentionKernel k = kernel;
        synchronized (k) {
            int scores = B * NH * T * T;
            if (scratch.length < scores) {
                scratch = new float[scores];
            }
            set(AttentionKernel.BACKWARD, probs, probsOff, qkv, qkvOff, B, T, NH, HS, scale);
            k.dqkv = dqkv;
            k.dqkvOff = dqkvOff;
            k.dout = dout;
            k.doutOff = doutOff;
            dev.put(k, qkv);
            dev.put(k, probs);
            dev.put(k, dout);
            dev.put(k, dqkv);
            // pass 0, rows: dS and dq; pass 1, columns: dk and dv
            dev.launch(k, dev.range(B * NH * T), 2);
            dev.get(k, dqkv);
        }
    }

    private void set(int mode, float[] probs, int probsOff, float[] qkv, int qkvOff, int B, int T, int NH, int HS,
                     float scale) {
        AttentionKernel k = kernel;
        k.out = k.dqkv = k.dout = NONE;
        k.ds = scratch; // stays bound, so that Aparapi keeps its device buffer from call to call
        k.mode = mode;
        k.probs = probs;
        k.probsOff = probsOff;
        k.qkv = qkv;
        k.qkvOff = qkvOff;
        k.B = B;
        k.T = T;
        k.NH = NH;
        k.HS = HS;
        k.scale = scale;
        k.negInf = Float.NEGATIVE_INFINITY;
    }
}
