package org.rlhf4j.embedding;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The command line of a child JVM that runs one of the tests' main classes, in the mode the suite runs in
 * (pom.xml's {@code rlhf4j.modulePath}, {@link SuiteModeTest}). On the class path the child gets this JVM's
 * class path. On the module path {@code java.class.path} lacks the library (it is on {@code jdk.module.path}),
 * so the child gets what surefire gave this JVM: the module path, the test-only libraries on the class path,
 * the test classes patched into {@code org.rlhf4j}, which reads them, and the main class started as
 * {@code -m org.rlhf4j/<class>}. JVM flags (heap, {@code --add-modules jdk.incubator.vector}, system
 * properties) go before {@link #main}'s arguments; the program's arguments after them.
 */
public final class ChildJvm {

    private static final String MODULE = "org.rlhf4j";

    private ChildJvm() {
    }

    /** The {@code java} launcher of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A process builder for {@code cmd}, whose first element is a {@code java} launcher, perhaps of another JDK.
     * When this JVM runs with the JDK's signal-chaining library preloaded (pom.xml's jsig profile; docs/gpu.md,
     * "Signal handlers"), the child preloads its own JDK's {@code lib/libjsig.so} instead of this one's.
     */
    public static ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("libjsig")) {
            Path java = Path.of(cmd.get(0)).toAbsolutePath();
            try {
                java = java.toRealPath(); // /usr/bin/java is a chain of links into the JDK
            } catch (java.io.IOException e) {
                // keep the path as given: the child's start will report it
            }
            Path jsig = java.getParent().getParent().resolve("lib").resolve("libjsig.so");
            if (jsig.toFile().isFile()) {
                pb.environment().put("LD_PRELOAD", jsig.toString());
            } else {
                pb.environment().remove("LD_PRELOAD");
            }
        }
        return pb;
    }

    /** True when the suite runs on the module path: the tests are patched into the named module org.rlhf4j. */
    public static boolean onModulePath() {
        return ChildJvm.class.getModule().isNamed();
    }

    /**
     * The flag that lets a child on JDK 24+ load Aparapi's JNI library without a warning: for the class path,
     * and in module mode also for the module {@code aparapi}, which declares the native methods.
     */
    public static String enableNativeAccess() {
        return "--enable-native-access=ALL-UNNAMED" + (onModulePath() ? ",aparapi" : "");
    }

    /** The whole command: this JVM's {@code java}, {@code jvmFlags}, the paths and {@code main}, then {@code args}. */
    public static List<String> command(List<String> jvmFlags, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmFlags);
        cmd.addAll(main(main));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** The arguments that put the library and the tests where this JVM has them and start {@code main}. */
    public static List<String> main(Class<?> main) {
        return main(main, entry -> true);
    }

    /**
     * As {@link #main(Class)}, keeping only the path entries (jars, folders) that {@code keep} accepts: a child
     * without Aparapi, say.
     */
    public static List<String> main(Class<?> main, Predicate<String> keep) {
        List<String> args = new ArrayList<>();
        if (!onModulePath()) {
            args.addAll(List.of("-cp", filter(System.getProperty("java.class.path"), keep), main.getName()));
            return args;
        }
        args.addAll(List.of("--module-path", filter(System.getProperty("jdk.module.path"), keep)));
        args.addAll(List.of("-cp", filter(System.getProperty("java.class.path"), keep)));
        args.add("--patch-module=" + MODULE + "=" + testClasses());
        args.add("--add-reads=" + MODULE + "=ALL-UNNAMED"); // the test-only libraries, on the class path
        // what surefire resolves: every module on the module path (Jackson, picocli, Aparapi, EJML)
        args.add("--add-modules=ALL-MODULE-PATH");
        args.addAll(List.of("-m", MODULE + "/" + main.getName()));
        return args;
    }

    private static String filter(String path, Predicate<String> keep) {
        return Arrays.stream(path.split(File.pathSeparator)).filter(e -> !e.isEmpty()).filter(keep)
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The folder (or jar) the test classes come from; surefire patches the module with it. */
    private static String testClasses() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
