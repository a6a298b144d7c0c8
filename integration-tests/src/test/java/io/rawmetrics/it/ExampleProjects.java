package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        Path from = Path.of("..", "examples", name);
        Path to = work.resolve(name);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                boolean buildOutput = false;
                for (Path part : relative) {
                    buildOutput |= part.toString().equals("target");
                }
                if (!buildOutput) {
                    Files.copy(source, to.resolve(relative.toString()));
                }
            }
        }
        return to;
    }

    /** {@code mvn -B package} in {@code project}; its output, which must say BUILD SUCCESS. */
    static String build(Path project) throws Exception {
        return build(project, Path.of(System.getProperty("java.home")), List.of());
    }

    /** {@code mvn -B package} with the JDK at {@code javaHome} and extra Maven arguments. */
    static String build(Path project, Path javaHome, List<String> mavenArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "package"));
        command.addAll(mavenArgs);
        return run(project, command, Map.of("JAVA_HOME", javaHome.toString()));
    }

    /** Runs {@code mainClass} in a new JVM with {@code classes} ahead of this test's class path. */
    static String runJava(Path project, Path classes, List<String> systemProperties, String mainClass, String... args)
            throws Exception {
        return runJava(Path.of(System.getProperty("java.home")), project, classes, systemProperties, mainClass, args);
    }

    /** Like {@link #runJava(Path, Path, List, String, String...)}, with the JDK at {@code javaHome}. */
    static String runJava(Path javaHome, Path project, Path classes, List<String> systemProperties, String mainClass,
            String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin").resolve("java").toString()));
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return run(project, command, Map.of());
    }

    private static String run(Path dir, List<String> command, Map<String, String> environment) throws Exception {
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
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + out);
        return out;
    }
}
