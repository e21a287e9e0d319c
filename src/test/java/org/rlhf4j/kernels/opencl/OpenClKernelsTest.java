package org.rlhf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.kernels.Kernels;

/** The published list of device ops matches the contract and the class (no device needed). */
class OpenClKernelsTest {

    /** The contract's ops: every abstract method but name() and parallel(). */
    private static List<String> ops() {
        return Arrays.stream(Kernels.class.getMethods()).filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName).filter(n -> !n.equals("name") && !n.equals("parallel")).sorted().toList();
    }

    @Test
    void onDevicePlusDelegatedIsTheWholeContract() {
        assertEquals(25, ops().size(), "the contract's op count, which DELEGATED is computed from");
        assertEquals(ops().size(), OpenClKernels.ON_DEVICE.size() + OpenClKernels.DELEGATED);
    }

    @Test
    void everyOpListedOnTheDeviceIsOverriddenByOpenClKernels() throws Exception {
        for (String listed : OpenClKernels.ON_DEVICE) {
            String op = listed.contains("(") ? listed.substring(0, listed.indexOf('(')) : listed;
            assertTrue(ops().contains(op), listed + " is an op of the contract");
            // not the bridges javac adds to a public class for the public methods of its package-private superclass:
            // they made this pass while unary(GELU) was DelegatingKernels' CPU call (25 Nov to 7 Dec 2026)
            boolean declared = Arrays.stream(OpenClKernels.class.getDeclaredMethods())
                    .anyMatch(m -> m.getName().equals(op) && !m.isBridge() && !m.isSynthetic());
            assertTrue(declared, listed + " is implemented in OpenClKernels, not inherited from DelegatingKernels");
        }
    }

    @Test
    void everyFusedOpOnTheDeviceIsADefaultOfTheContractOverriddenByOpenClKernels() throws Exception {
        for (String op : OpenClKernels.FUSED_ON_DEVICE) {
            boolean isDefault = Arrays.stream(Kernels.class.getMethods()).anyMatch(m -> m.getName().equals(op) && m.isDefault());
            assertTrue(isDefault, op + " is a default method of the contract");
            boolean declared = Arrays.stream(OpenClKernels.class.getDeclaredMethods())
                    .anyMatch(m -> m.getName().equals(op) && !m.isBridge() && !m.isSynthetic());
            assertTrue(declared, op + " is implemented in OpenClKernels");
        }
    }
}
