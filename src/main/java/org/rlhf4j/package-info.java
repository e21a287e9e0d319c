/**
 * The base of rlhf4j: {@link org.rlhf4j.Rlhf4jException}, the root of the library's unchecked exceptions,
 * and nothing else. Everything in rlhf4j may import it; it imports the JDK only. The library's layers sit
 * under it: {@code kernels <- tensor <- nn <- optim/io/data/train <- feedback/rlhf <- cli} (STYLE.md), and
 * docs/embedding.md says what a host application may rely on.
 */
package org.rlhf4j;
