/**
 * testing: rlhf4j's property-testing kit, a public API for users who test their own ops, losses, reward rules
 * and trainers (docs/property-testing.md). {@link org.rlhf4j.testing.RlhfArbitraries} generates shapes,
 * tensors, padded token batches and preference records for jqwik; {@link org.rlhf4j.testing.GradientCheck}
 * checks any function's or module's gradients against finite differences; {@link org.rlhf4j.testing.RlhfInvariants}
 * and {@link org.rlhf4j.testing.PreferenceInvariants} hold an implementation to the RLHF invariants (KL 0 and
 * ratio 1 at the start, k3 &gt;= 0, GAE identities, clipping, whitening, Bradley-Terry);
 * {@link org.rlhf4j.testing.GoldenFixture} loads, compares and writes golden fixtures.
 *
 * <p>It ships as rlhf4j's test-jar ({@code <type>test-jar</type>}, test scope), holding only this package, so
 * jqwik and JUnit never become run-time dependencies of the library. Only {@code RlhfArbitraries} needs jqwik;
 * every check throws a plain {@link java.lang.AssertionError} and so works under any test framework.
 *
 * <p>May import: any {@code org.rlhf4j} package (it sits above the library and tests it through its public
 * API), the JDK and jqwik. Nothing in the library may import it.
 */
package org.rlhf4j.testing;
