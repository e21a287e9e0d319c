package org.rlhf4j.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Reads compiled classes with ASM and lists what a library embedded in someone else's JVM must not do
 * (RELIABILITY.md, "Embedding in restricted JVMs"): end or halt the JVM, print to the process's
 * stdout/stderr, change system properties or global handlers, register shutdown hooks, or start threads
 * that keep the JVM alive.
 *
 * <p>The rules, by bytecode instruction:
 * <ul>
 *   <li>{@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt}, {@code Runtime.addShutdownHook}
 *       / {@code removeShutdownHook}, {@code System.setProperty} / {@code clearProperty} /
 *       {@code setProperties} / {@code setOut} / {@code setErr} / {@code setIn},
 *       {@code Thread.setDefaultUncaughtExceptionHandler}: any call.</li>
 *   <li>{@code System.out}, {@code System.err}: any {@code getstatic} of the field (so passing the
 *       stream on counts too); {@code printStackTrace()} without arguments (it writes to System.err).</li>
 *   <li>Threads. Non-daemon threads are what keep a JVM alive after its main method, so the rule is on
 *       how a thread is made, checked where it is made:
 *     <ul>
 *       <li>{@code new Thread(...)} or {@code new} of any Thread subclass: the same method must also call
 *           {@code setDaemon(true)} (a literal {@code true}). A thread factory lambda is its own method,
 *           so it is checked where the thread is made.</li>
 *       <li>{@code Executors.new...} without a {@code ThreadFactory} argument (the default factory
 *           makes non-daemon threads), and {@code Executors.defaultThreadFactory()}; except
 *           {@code newWorkStealingPool} (ForkJoinPool workers are daemon) and the virtual-thread
 *           executors (virtual threads are always daemon).</li>
 *       <li>{@code new ThreadPoolExecutor} / {@code ScheduledThreadPoolExecutor} without a ThreadFactory,
 *           and {@code new java.util.Timer} without {@code isDaemon} (its thread is non-daemon).</li>
 *     </ul>
 *     The check is static: "setDaemon(true) in the same method" does not prove that it is called on that
 *     thread, so the classes that make threads also have a run-time test that their threads are daemon
 *     and gone after close() (ThreadLifecycleTest).</li>
 * </ul>
 */
final class LibraryHygiene {

    /** One finding: where (class, method, source line) and what. */
    record Violation(String className, String method, int line, String what) {
        @Override
        public String toString() {
            return className.replace('/', '.') + "." + method + " (line " + line + "): " + what;
        }
    }

    private static final Set<String> FORBIDDEN_SYSTEM = Set.of("exit", "setProperty", "clearProperty",
            "setProperties", "setOut", "setErr", "setIn");
    private static final Set<String> FORBIDDEN_RUNTIME = Set.of("exit", "halt", "addShutdownHook", "removeShutdownHook");
    private static final String THREAD_FACTORY = "Ljava/util/concurrent/ThreadFactory;";

    private LibraryHygiene() {
    }

    /** Every violation in the .class files under {@code root}, skipping the packages under {@code exempt} (as paths, e.g. org/rlhf4j/cli/). */
    static List<Violation> scan(Path root, Set<String> exempt) {
        List<Violation> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class")).sorted()::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (exempt.stream().noneMatch(rel::startsWith)) {
                    scanClass(f, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The violations of one class file. */
    static List<Violation> scanClass(Path classFile) {
        List<Violation> out = new ArrayList<>();
        scanClass(classFile, out);
        return out;
    }

    private static void scanClass(Path classFile, List<Violation> out) {
        try (InputStream in = Files.newInputStream(classFile)) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                private String name;

                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    this.name = name;
                }

                @Override
                public MethodVisitor visitMethod(int access, String method, String desc, String sig, String[] ex) {
                    return new Checker(name, method, out);
                }
            }, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks one method; thread constructions wait for the end of the method (setDaemon may come later). */
    private static final class Checker extends MethodVisitor {
        private final String owner;
        private final String method;
        private final List<Violation> out;
        private final List<Violation> undaemonedThreads = new ArrayList<>();
        private boolean setsDaemonTrue;
        private int line;
        private int lastOpcode = -1;

        Checker(String owner, String method, List<Violation> out) {
            super(Opcodes.ASM9);
            this.owner = owner;
            this.method = method;
            this.out = out;
        }

        private void flag(String what) {
            out.add(new Violation(owner, method, line, what));
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
        }

        @Override
        public void visitInsn(int opcode) {
            lastOpcode = opcode;
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            lastOpcode = opcode;
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            lastOpcode = opcode;
        }

        @Override
        public void visitLdcInsn(Object value) {
            lastOpcode = Opcodes.LDC;
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            lastOpcode = opcode;
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String desc, org.objectweb.asm.Handle bsm, Object... args) {
            lastOpcode = Opcodes.INVOKEDYNAMIC;
        }

        @Override
        public void visitFieldInsn(int opcode, String fOwner, String name, String desc) {
            if (opcode == Opcodes.GETSTATIC && fOwner.equals("java/lang/System") && (name.equals("out") || name.equals("err"))) {
                flag("uses System." + name);
            }
            lastOpcode = opcode;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW && isThread(type)) {
                undaemonedThreads.add(new Violation(owner, method, line,
                        "new " + type.replace('/', '.') + " without setDaemon(true) in the same method"));
            }
            lastOpcode = opcode;
        }

        @Override
        public void visitMethodInsn(int opcode, String mOwner, String name, String desc, boolean itf) {
            switch (mOwner) {
                case "java/lang/System" -> {
                    if (FORBIDDEN_SYSTEM.contains(name)) {
                        flag("calls System." + name);
                    }
                }
                case "java/lang/Runtime" -> {
                    if (FORBIDDEN_RUNTIME.contains(name)) {
                        flag("calls Runtime." + name);
                    }
                }
                case "java/util/concurrent/Executors" -> {
                    boolean threadless = name.equals("newWorkStealingPool") || name.startsWith("newVirtualThread")
                            || !name.startsWith("new") && !name.equals("defaultThreadFactory");
                    if (!threadless && !desc.contains(THREAD_FACTORY)) {
                        flag("calls Executors." + name + " without a daemon ThreadFactory");
                    }
                }
                case "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ScheduledThreadPoolExecutor" -> {
                    if (name.equals("<init>") && !desc.contains(THREAD_FACTORY)) {
                        flag("creates a " + mOwner.substring(mOwner.lastIndexOf('/') + 1) + " without a ThreadFactory");
                    }
                }
                case "java/util/Timer" -> {
                    if (name.equals("<init>") && !desc.contains("Z")) {
                        flag("creates a java.util.Timer without isDaemon (its thread is not a daemon)");
                    }
                }
                default -> { }
            }
            if (name.equals("setDefaultUncaughtExceptionHandler") && mOwner.equals("java/lang/Thread")) {
                flag("calls Thread.setDefaultUncaughtExceptionHandler");
            }
            if (name.equals("printStackTrace") && desc.equals("()V")) {
                flag("calls printStackTrace() (prints to System.err)");
            }
            if (name.equals("setDaemon") && desc.equals("(Z)V") && lastOpcode == Opcodes.ICONST_1) {
                setsDaemonTrue = true;
            }
            lastOpcode = opcode;
        }

        @Override
        public void visitEnd() {
            if (!setsDaemonTrue) {
                out.addAll(undaemonedThreads);
            }
        }
    }

    /** Whether the internal name is java.lang.Thread or a subclass (classes that cannot be loaded count as not). */
    private static boolean isThread(String internalName) {
        if (internalName.startsWith("[")) {
            return false;
        }
        try {
            Class<?> c = Class.forName(internalName.replace('/', '.'), false, LibraryHygiene.class.getClassLoader());
            return Thread.class.isAssignableFrom(c);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
