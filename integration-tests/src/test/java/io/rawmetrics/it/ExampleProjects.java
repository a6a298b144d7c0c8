package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.rawmetrics.it.Jdks.Jdk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds and runs the standalone projects under examples/ as a user would: a real mvn, a real JVM. */
final class ExampleProjects {

    private ExampleProjects() {
    }

    /** A fresh copy of {@code examples/name} (without build output) under {@code work}. */
    static Path copy(String name, Path work) throws IOException {
        return copyProject(Path.of("..", "examples", name), work);
    }

    /** A fresh copy of the project in {@code from} (without build output, nor a .git) under {@code work}. */
    static Path copyProject(Path from, Path work) throws IOException {
        Path to = work.resolve(from.getFileName().toString());
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                boolean buildOutput = false;
                for (Path part : relative) {
                    buildOutput |= part.toString().equals("target") || part.toString().equals(".git");
                }
                if (!buildOutput) {
                    Files.copy(source, to.resolve(relative.toString()));
                }
            }
        }
        return to;
    }

    /** Breaks (or changes) a copied example on purpose: {@code from}, which must be in the file, becomes {@code to}. */
    static void replaceIn(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), () -> file + " no longer contains " + from);
        Files.writeString(file, text.replace(from, to));
    }

    /** {@code mvn -B package} in {@code project} with the test suite's JDK; its output. */
    static String build(Path project) throws Exception {
        return build(project, Jdks.running());
    }

    /** The JDKs the examples are built and run on; see {@link Jdks}. For {@code @MethodSource}. */
    static List<Jdk> jdks() {
        return Jdks.all();
    }

    /**
     * Kotlin 2.2.20 and later compile in a Kotlin daemon by default, which outlives the build (and
     * so the test command): the example builds compile in Maven's own process instead. A user's
     * build may keep the daemon; this is about a test run that leaves no process behind.
     */
    private static final String NO_KOTLIN_DAEMON = "-Dkotlin.compiler.daemon=false";

    /** {@code mvn -B package} run on {@code jdk}, with the AspectJ version that supports it. */
    static String build(Path project, Jdk jdk) throws Exception {
        List<String> command = List.of("mvn", "-B", "package", "-Daspectj.version=" + jdk.aspectjVersion(), NO_KOTLIN_DAEMON);
        return run(project, command, Map.of("JAVA_HOME", jdk.home().toString()));
    }

    /** {@code mvn -B package} run on {@code jdk}, which must fail; its output. */
    static String buildExpectingFailure(Path project, Jdk jdk) throws Exception {
        List<String> command = List.of("mvn", "-B", "package", "-Daspectj.version=" + jdk.aspectjVersion(), NO_KOTLIN_DAEMON);
        return run(project, command, Map.of("JAVA_HOME", jdk.home().toString()), 1);
    }

    /** Runs {@code mainClass} on the test suite's JDK; see {@link #runJava(Jdk, Path, Path, List, String, String...)}. */
    static String runJava(Path project, Path classes, List<String> jvmArgs, String mainClass, String... args)
            throws Exception {
        return runJava(Jdks.running(), project, classes, jvmArgs, mainClass, args);
    }

    /**
     * Runs {@code mainClass} in a new JVM of {@code jdk}, with {@code classes} ahead of the rawmetrics
     * jars and their dependencies from this test's class path (which has no AspectJ weaver: a
     * load-time weaving example brings its own as {@code -javaagent}, and a second copy on the class
     * path would shadow it). Checks that the program ran on {@code jdk}.
     */
    static String runJava(Jdk jdk, Path project, Path classes, List<String> jvmArgs, String mainClass,
            String... args) throws Exception {
        String out = run(project, javaCommand(jdk, classes, jvmArgs, mainClass, args), Map.of());
        assertTrue(out.contains(jdk.versionLine()), () -> "ran on " + jdk + ":\n" + out);
        return out;
    }

    /**
     * Starts {@code mainClass} as {@link #runJava(Path, Path, List, String, String...)} runs it, its
     * output going to {@code log}, and returns at once: for a program that is stopped by a signal.
     */
    static Process startJava(Path project, Path classes, List<String> jvmArgs, Path log, String mainClass,
            String... args) throws IOException {
        return new ProcessBuilder(javaCommand(Jdks.running(), classes, jvmArgs, mainClass, args))
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> javaCommand(Jdk jdk, Path classes, List<String> jvmArgs, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-XshowSettings:properties"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@code mvn} with {@code arguments} in {@code project}, on the test suite's JDK with the AspectJ
     * version that supports it, which must succeed; its output.
     */
    static String mvn(Path project, Map<String, String> environment, String... arguments) throws Exception {
        Jdk jdk = Jdks.running();
        List<String> command = new ArrayList<>(List.of("mvn", "-Daspectj.version=" + jdk.aspectjVersion(), NO_KOTLIN_DAEMON));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>(environment);
        env.put("JAVA_HOME", jdk.home().toString());
        return run(project, command, env);
    }

    /** Polls the log of a running application for {@code text}, until {@code timeout}; the log so far. */
    static String awaitLogLine(Process app, Path log, String text, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String written = Files.readString(log, StandardCharsets.UTF_8);
        while (!written.contains(text)) {
            if (!app.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + written);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(50).toNanos()); // poll again
            written = Files.readString(log, StandardCharsets.UTF_8);
        }
        return written;
    }

    /** Runs {@code command} in {@code dir}, which must succeed; its output. */
    static String run(Path dir, List<String> command) throws Exception {
        return run(dir, command, Map.of());
    }

    private static String run(Path dir, List<String> command, Map<String, String> environment) throws Exception {
        return run(dir, command, environment, 0);
    }

    private static String run(Path dir, List<String> command, Map<String, String> environment, int expectedExit)
            throws Exception {
        Path log = Files.createTempFile("run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish:\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(expectedExit, process.exitValue(), () -> command + " exited with an unexpected status:\n" + out);
        return out;
    }
}
