package org.rlhf4j.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.rlhf4j.data.DatasetFormatException;
import org.rlhf4j.data.tokenizer.TokenizerFormatException;
import org.rlhf4j.kernels.BackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code rlhf4j} command and its subcommands (the list below; {@code rlhf4j --help} prints it). This class
 * and its subcommands are the only code that prints to stdout or calls {@link System#exit}.
 *
 * <p>Exit codes: 0 success; 2 a usage error (a wrong flag, a missing or bad file, a bad setting),
 * reported as one line on stderr that says what is wrong and how to mend it; 1 anything else (a bug),
 * also one line. {@code --stacktrace} (anywhere on the line) or {@code -Drlhf4j.debug=true} adds the
 * stack trace.
 */
@Command(name = "rlhf4j", mixinStandardHelpOptions = true, versionProvider = Rlhf4j.Version.class,
        description = "Reinforcement learning from human feedback on the JVM, in pure Java.",
        subcommands = {PretrainCommand.class, SampleCommand.class, InfoCommand.class, BenchCommand.class,
                AnnotateCommand.class,
                LabelCommand.class, TrainRewardCommand.class, ScoreCommand.class,
                PpoCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Rlhf4j implements Runnable {

    /** Exit code of a usage error. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (also: -Drlhf4j.debug=true).")
    boolean stacktrace;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given; choose one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs the command line {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean trace = Boolean.getBoolean("rlhf4j.debug") || Arrays.asList(args).contains("--stacktrace");
        CommandLine cl = new CommandLine(new Rlhf4j());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            ParameterException ex = e;
            if (ex instanceof MissingParameterException && !cmd.getUnmatchedArguments().isEmpty()) {
                ex = new UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments()); // the cause, not its effect
            }
            String line = ex.getMessage();
            if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                line += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
            }
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + line + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            if (trace) {
                ex.printStackTrace(err);
            }
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean usage = isUsageError(ex);
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + (usage ? "" : "internal error: ")
                    + describe(ex) + (usage || trace ? "" : " (run with --stacktrace for details)"));
            if (trace) {
                ex.printStackTrace(err);
            }
            return usage ? USAGE : 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Errors caused by what the user gave (files, settings), as opposed to bugs. */
    static boolean isUsageError(Throwable ex) {
        return ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof DatasetFormatException
                || ex instanceof TokenizerFormatException || ex instanceof BackendUnavailableException;
    }

    /** One line for an exception: the file-system ones say which file and what is wrong with it. */
    static String describe(Throwable ex) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            msg = "no such file or directory: " + msg;
        } else if (e instanceof AccessDeniedException) {
            msg = "permission denied: " + msg;
        } else if (!isUsageError(e)) {
            msg = e.getClass().getName() + ": " + msg;
        }
        return msg.replace('\n', ' ');
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Rlhf4j.class.getPackage().getImplementationVersion();
            return new String[] {"rlhf4j " + (v == null ? "(development build)" : v)};
        }
    }

    /** A usage error raised by a subcommand: one line, exit code 2. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
