package org.rlhf4j.tensor;

import static org.rlhf4j.tensor.GradCases.awayFrom;
import static org.rlhf4j.tensor.GradCases.leaves;
import static org.rlhf4j.tensor.GradCases.values;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.rlhf4j.tensor.GradCases.Case;

/** Gradient-check cases of the unary ops, each with its double-precision definition. */
final class UnaryCases {

    private UnaryCases() {
    }

    static Case build(Op op, int[] dims, Random rnd) {
        int n = DoubleRef.size(dims);
        float[] x = values(n, rnd, -2, 2);
        float p = 0f, q = 0f;
        DoubleUnaryOperator f;
        switch (op) {
            case NEG: f = v -> -v; break;
            case EXP: f = Math::exp; break;
            case LOG: x = values(n, rnd, 0.3, 3); f = Math::log; break;
            case TANH: f = Math::tanh; break;
            case SIGMOID: x = values(n, rnd, -6, 6); f = DoubleRef::sigmoid; break;
            case RELU: x = awayFrom(x, 0f, 0.05f); f = v -> Math.max(v, 0); break;
            case GELU: x = values(n, rnd, -4, 4); f = DoubleRef::gelu; break;
            case SQRT: x = values(n, rnd, 0.3, 3); f = Math::sqrt; break;
            case LOG_SIGMOID: x = values(n, rnd, -8, 8); f = v -> Math.log(DoubleRef.sigmoid(v)); break;
            case ABS: x = awayFrom(x, 0f, 0.05f); f = Math::abs; break;
            case SCALE: p = (float) (rnd.nextDouble() * 4 - 2); f = scaleBy(p); break;
            case ADD_SCALAR: p = (float) (rnd.nextDouble() * 4 - 2); f = plus(p); break;
            case POW_SCALAR: {
                x = values(n, rnd, 0.3, 3);
                p = new float[] {-1.5f, 0.5f, 2f, 3f, 0f}[rnd.nextInt(5)];
                double e = p;
                f = v -> Math.pow(v, e);
                break;
            }
            case CLAMP: {
                p = -0.5f;
                q = 0.7f;
                x = awayFrom(awayFrom(x, p, 0.05f), q, 0.05f);
                f = v -> Math.min(Math.max(v, -0.5f), 0.7f);
                break;
            }
            default: throw new AssertionError(op);
        }
        float pp = p, qq = q;
        DoubleUnaryOperator g = f;
        return new Case(op.label() + " p=" + p + " " + Arrays.toString(dims), leaves(x, dims),
                in -> op == Op.CLAMP ? in[0].clamp(pp, qq) : ElementwiseOps.unary(op, in[0], pp, qq),
                v -> DoubleRef.unary(v[0], g));
    }

    private static DoubleUnaryOperator scaleBy(double s) {
        return v -> s * v;
    }

    private static DoubleUnaryOperator plus(double s) {
        return v -> v + s;
    }
}
