/**
 * cli: the {@code rlhf4j} command line on picocli: {@link org.rlhf4j.cli.Rlhf4j} (the entry point and
 * its error handling: a usage error is one line on stderr and exit code 2) with the subcommands
 * {@code pretrain} (a preset recipe plus {@code key=value} settings, {@code --resume}, a progress bar
 * with tokens/s and ETA), {@code sample} (a checkpoint's completion of a prompt), {@code info} (JDK,
 * backend, threads) and {@code bench}. The only package that prints to stdout or calls
 * {@code System.exit}. bin/rlhf4j launches it with the Vector API module; docs/training.md shows the
 * commands.
 *
 * <p>May import: every org.rlhf4j package, the JDK and picocli.
 */
package org.rlhf4j.cli;
