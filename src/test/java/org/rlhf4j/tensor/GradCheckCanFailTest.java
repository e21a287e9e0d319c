package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlhf4j.tensor.check.GradCheck;

/** The harness must be able to fail: planted wrong gradients and forwards are caught. */
class GradCheckCanFailTest {

    /** x^3 with a backward that returns {@code factor * x^2} instead of {@code 3 x^2}. */
    private static CustomFunction cubeWithBackwardFactor(float factor) {
        return new CustomFunction("cube") {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].mul(in[0]).mul(in[0]);
            }

            @Override
            protected Tensor[] backward(Tensor dy, Tensor... in) {
                return new Tensor[] {dy.mul(in[0].mul(in[0]).scale(factor))};
            }
        };
    }

    private static Tensor input() {
        return Tensor.of(new float[] {-1.3f, 0.4f, 0.9f, 1.7f, -0.6f, 2.1f}, 2, 3).requiresGrad(true);
    }

    private static double[] cube(double[]... x) {
        return DoubleRef.unary(x[0], v -> v * v * v);
    }

    @Test
    void theCorrectGradientPasses() {
        CustomFunction right = cubeWithBackwardFactor(3f);
        GradCheck.check("cube", in -> right.apply(in[0]), GradCheckCanFailTest::cube, 7, input());
    }

    @Test
    void aPlantedWrongGradientIsCaught() {
        CustomFunction wrong = cubeWithBackwardFactor(2f); // the classic slip: d x^3 = 2 x^2
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.check("cube", in -> wrong.apply(in[0]), GradCheckCanFailTest::cube, 7, input()));
        assertTrue(e.getMessage().contains("gradient of input 0 [2, 3]"), e.getMessage());
    }

    @Test
    void aGradientOffByOnePercentIsCaught() {
        CustomFunction slightlyWrong = cubeWithBackwardFactor(3.03f); // 10x rtol
        assertThrows(AssertionError.class,
                () -> GradCheck.check("cube", in -> slightlyWrong.apply(in[0]), GradCheckCanFailTest::cube, 7, input()));
    }

    @Test
    void aGradientSentToTheWrongElementIsCaught() {
        CustomFunction swapped = new CustomFunction("rolled-grad") {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].scale(2f);
            }

            @Override
            protected Tensor[] backward(Tensor dy, Tensor... in) {
                Tensor flat = dy.scale(2f).reshape(6); // the right values, rolled by one place
                return new Tensor[] {Tensor.concat(0, flat.narrow(0, 1, 5), flat.narrow(0, 0, 1)).reshape(2, 3)};
            }
        };
        assertThrows(AssertionError.class, () -> GradCheck.check("rolled-grad", in -> swapped.apply(in[0]),
                x -> DoubleRef.unary(x[0], v -> 2 * v), 7, input()));
    }

    @Test
    void aWrongForwardIsCaught() {
        CustomFunction right = cubeWithBackwardFactor(3f);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check("cube", in -> right.apply(in[0]),
                x -> DoubleRef.unary(x[0], v -> v * v * v + 1e-3), 7, input()));
        assertTrue(e.getMessage().contains("forward"), e.getMessage());
    }

    @Test
    void directionalChecksPassTheRightGradientAndCatchAWrongOne() {
        CustomFunction right = cubeWithBackwardFactor(3f), wrong = cubeWithBackwardFactor(2f);
        GradCheck.checkDirections("cube", in -> right.apply(in[0]), GradCheckCanFailTest::cube,
                GradCheck.Tolerance.FLOAT, 7, 4, input());
        assertThrows(AssertionError.class, () -> GradCheck.checkDirections("cube", in -> wrong.apply(in[0]),
                GradCheckCanFailTest::cube, GradCheck.Tolerance.FLOAT, 7, 4, input()));
    }
}
