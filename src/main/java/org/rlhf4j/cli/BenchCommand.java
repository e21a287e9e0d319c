package org.rlhf4j.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code rlhf4j bench ...}: hands its arguments to the benchmark entry point
 * {@code org.rlhf4j.bench.Bench} (e.g. {@code rlhf4j bench matmul --quick}). Bench is looked up by
 * name, so a build without it still runs every other command and says so here.
 */
@Command(name = "bench", description = "Run a benchmark: rlhf4j bench matmul [--quick] (org.rlhf4j.bench.Bench).")
final class BenchCommand implements Callable<Integer> {

    static final String BENCH = "org.rlhf4j.bench.Bench";

    @Spec
    CommandSpec spec;

    /** Every argument after {@code bench}, in order (positional and options alike). */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Method main;
        try {
            main = Class.forName(BENCH).getMethod("main", String[].class);
        } catch (ClassNotFoundException e) {
            throw Rlhf4j.usage(spec, "this build has no benchmarks (" + BENCH + " is missing); build a tree "
                    + "that includes org.rlhf4j.bench, or use bin/bench there");
        }
        spec.commandLine().getOut().flush();
        try {
            main.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        return 0;
    }
}
