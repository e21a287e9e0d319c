package org.rlhf4j.kernels;

/**
 * Run in a child JVM by {@link BackendFallbackTest}: multiplies two small matrices on whatever
 * backend {@link Backends#current()} picks and prints the backend and the product.
 */
public final class FallbackProbe {

    private FallbackProbe() {
    }

    public static void main(String[] args) {
        try {
            Kernels k = Backends.current();
            float[] a = {1, 2, 3, 4, 5, 6};          // (2,3)
            float[] b = {7, 8, 9, 10, 11, 12};       // (3,2)
            float[] c = new float[4];
            k.matmul(c, 0, a, 0, b, 0, 1, 2, 3, 2, false, false, false, false);
            System.out.println("backend=" + k.name() + " simdAvailable=" + Backends.simdAvailable());
            System.out.println("product=" + c[0] + "," + c[1] + "," + c[2] + "," + c[3]);
            k.parallel().close();
        } catch (RuntimeException e) {
            System.out.println("exception=" + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
