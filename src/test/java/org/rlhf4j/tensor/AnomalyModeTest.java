package org.rlhf4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rlhf4j.embedding.ChildJvm;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;

/** Anomaly mode: the first NaN or infinity an op produces, forward or backward, throws naming the op and shape. */
class AnomalyModeTest {

    @Test
    void offByDefaultNonFiniteValuesPassSilently() {
        assertFalse(AnomalyMode.isEnabled());
        assertEquals(Float.NEGATIVE_INFINITY, Tensor.vector(1f, 0f).log().get(1));
    }

    @Test
    @SuppressWarnings("try")
    void forwardInfinityNamesTheOpShapeAndElement() {
        try (AnomalyMode ignored = Autograd.detectAnomaly()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> Tensor.of(new float[] {1f, 2f, 0f, 3f}, 2, 2).log());
            assertEquals(Op.LOG, e.op());
            assertEquals(AnomalyException.Phase.FORWARD, e.phase());
            assertEquals(Shape.of(2, 2), e.shape());
            assertEquals(2, e.index());
            assertEquals(Float.NEGATIVE_INFINITY, e.value());
            assertEquals("anomaly: forward of log produced -Infinity at element 2 of its output, shape [2, 2]", e.getMessage());

            AnomalyException nan = assertThrows(AnomalyException.class, () -> Tensor.vector(4f, -1f).sqrt());
            assertEquals(Op.SQRT, nan.op());
            assertTrue(Float.isNaN(nan.value()));
        }
        assertFalse(AnomalyMode.isEnabled(), "closed");
    }

    @Test
    @SuppressWarnings("try")
    void aValueThatWasAlreadyInAnInputIsReportedAsSuch() {
        Tensor a = Tensor.vector(1f, Float.NaN), b = Tensor.vector(1f, 1f);
        try (AnomalyMode ignored = Autograd.detectAnomaly()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> b.add(a));
            assertEquals(Op.ADD, e.op());
            assertTrue(e.getMessage().endsWith("already non-finite in its input 1 [2]"), e.getMessage());
        }
    }

    @Test
    @SuppressWarnings("try")
    void backwardNaNNamesTheOpAndTheInputWhoseGradientHoldsIt() {
        // forward is finite everywhere: sqrt(0) = 0, times 0; backward: d sqrt/dx at 0 is 0.5/0 = inf, times 0 = NaN
        Tensor x = Tensor.vector(0f, 4f).requiresGrad(true);
        try (AnomalyMode ignored = Autograd.detectAnomaly()) {
            Tensor loss = x.sqrt().scale(0f).sum();
            assertEquals(0f, loss.item());
            AnomalyException e = assertThrows(AnomalyException.class, loss::backward);
            assertEquals(Op.SQRT, e.op());
            assertEquals(AnomalyException.Phase.BACKWARD, e.phase());
            assertEquals(0, e.inputIndex());
            assertEquals(Shape.of(2), e.shape());
            assertEquals(0, e.index());
            assertTrue(Float.isNaN(e.value()));
            assertEquals("anomaly: backward of sqrt produced NaN at element 0 of the gradient of its input 0, shape [2]",
                    e.getMessage());
        }
    }

    @Test
    @SuppressWarnings("try")
    void backwardInfinityAndANonFiniteSeedGradient() {
        Tensor x = Tensor.vector(0f, 1f).requiresGrad(true);
        try (AnomalyMode ignored = Autograd.detectAnomaly()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.sqrt().sum().backward());
            assertEquals(Op.SQRT, e.op());
            assertEquals(Float.POSITIVE_INFINITY, e.value());

            Tensor y = Tensor.vector(1f, 2f).requiresGrad(true).scale(2f);
            AnomalyException seed = assertThrows(AnomalyException.class, () -> y.backward(Tensor.vector(1f, Float.NaN)));
            assertNull(seed.op());
            assertTrue(seed.getMessage().contains("output gradient given to backward()"), seed.getMessage());
        }
    }

    @Test
    @SuppressWarnings("try")
    void aWholeGptStepRaisesNothingTheCausalMasksMinusInfinityIsTheCallersConstant() {
        Gpt gpt = new Gpt(new GptConfig(11, 8, 2, 2, 8, 0f, true, 1e-5f, 0.02f), new Generator(3));
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6};
        try (AnomalyMode outer = Autograd.detectAnomaly(); AnomalyMode inner = Autograd.detectAnomaly()) {
            inner.close();
            inner.close(); // a second close does nothing: outer still holds it on
            assertTrue(AnomalyMode.isEnabled());
            Tensor loss = gpt.loss(ids, ids, 2, 8, -1);
            loss.backward();
            assertTrue(Float.isFinite(loss.item()));
        }
        assertFalse(AnomalyMode.isEnabled());
    }

    @Test
    void theSystemPropertyTurnsItOnForTheWholeJvm() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command(List.of("-Drlhf4j.anomaly=true"), AnomalyProbe.class))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("anomaly: forward of log"), out);
    }

    /** Child JVM: prints the message of the anomaly that log(0) raises. */
    static final class AnomalyProbe {
        public static void main(String[] args) {
            try {
                Tensor.vector(0f).log();
                System.out.println("no anomaly");
            } catch (AnomalyException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
