package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.GradCases.leaves;
import static org.rlhf4j.tensor.GradCases.values;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.rlhf4j.tensor.GradCases.Case;

/**
 * View cases. GradCheck weights every output element with its own random weight, so an element
 * moved to the wrong place, or a gradient sent back to the wrong one, is caught.
 */
final class ViewCases {

    private ViewCases() {
    }

    static Case build(Op op, int[] dims, Random rnd) {
        int n = DoubleRef.size(dims);
        float[] x = values(n, rnd, -2, 2);
        String name = op.label() + " " + Arrays.toString(dims);
        switch (op) {
            case RESHAPE: {
                int variant = rnd.nextInt(4);
                int[] target = variant == 0 ? new int[] {-1} : variant == 1 ? reversed(dims) : withOnes(dims, rnd);
                int axis = rnd.nextInt(dims.length + 1);
                return new Case(name + " -> " + Arrays.toString(target) + " variant " + variant, leaves(x, dims),
                        in -> variant == 3 ? in[0].unsqueeze(axis).squeeze(axis) : in[0].reshape(target),
                        v -> v[0].clone());
            }
            case PERMUTE: {
                int[] perm = shuffled(dims.length, rnd);
                boolean transpose = dims.length >= 2 && rnd.nextBoolean();
                int[] p = transpose ? swapLastTwo(dims.length) : perm;
                return new Case(name + " by " + Arrays.toString(p), leaves(x, dims),
                        in -> transpose ? in[0].transpose(-1, -2) : in[0].permute(p),
                        v -> DoubleRef.permute(v[0], dims, p));
            }
            case NARROW: {
                int[] d = dims.length == 0 ? new int[] {3} : dims;
                float[] xv = values(DoubleRef.size(d), rnd, -2, 2);
                int axis = rnd.nextInt(d.length), start = rnd.nextInt(d[axis] + 1);
                int length = rnd.nextInt(d[axis] - start + 1);
                boolean split = rnd.nextBoolean();
                return new Case("narrow " + Arrays.toString(d) + " axis " + axis + " [" + start + ", +" + length + ")"
                        + (split ? " via split" : ""), leaves(xv, d),
                        in -> split ? in[0].split(axis, start, length, d[axis] - start - length).get(1)
                                : in[0].narrow(axis, start, length),
                        v -> DoubleRef.narrow(v[0], d, axis, start, length));
            }
            case CONCAT: {
                int[] d = dims.length == 0 ? new int[] {2} : dims;
                int axis = rnd.nextInt(d.length), parts = 1 + rnd.nextInt(3);
                List<Object> spec = new ArrayList<>();
                int[][] partDims = new int[parts][];
                for (int i = 0; i < parts; i++) {
                    partDims[i] = d.clone();
                    partDims[i][axis] = rnd.nextInt(3);
                    spec.add(values(DoubleRef.size(partDims[i]), rnd, -2, 2));
                    spec.add(partDims[i]);
                }
                return new Case("concat axis " + axis + " " + Arrays.deepToString(partDims), GradCases.leavesOf(spec.toArray()),
                        in -> Tensor.concat(axis, in), v -> DoubleRef.concat(v, partDims, axis));
            }
            case EXPAND: {
                int[] small = GradCases.squashed(dims, rnd);
                return new Case("expand " + Arrays.toString(small) + " -> " + Arrays.toString(dims),
                        leaves(values(DoubleRef.size(small), rnd, -2, 2), small),
                        in -> in[0].expand(dims), v -> DoubleRef.expand(v[0], small, dims));
            }
            default:
                throw new AssertionError(op);
        }
    }

    private static int[] reversed(int[] dims) {
        int[] r = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            r[i] = dims[dims.length - 1 - i];
        }
        return r;
    }

    private static int[] withOnes(int[] dims, Random rnd) {
        List<Integer> d = new ArrayList<>();
        for (int v : dims) {
            if (rnd.nextBoolean()) {
                d.add(1);
            }
            d.add(v);
        }
        return d.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] shuffled(int r, Random rnd) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        for (int i = r - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] swapLastTwo(int r) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        p[r - 1] = r - 2;
        p[r - 2] = r - 1;
        return p;
    }
}
