package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate Maven project set up only as the README says ({@code examples/quickstart}) is built
 * by a real {@code mvn}, weaves {@code @FunctionCall} into its own class, runs in its own JVM, and
 * its calls are in InfluxDB after it exits (written by the shutdown hook).
 *
 * <p>Needs the rawmetrics artifacts in the local Maven repository: the README's test command,
 * {@code mvn -B install}, installs them before this module's integration tests run.
 */
class ReadmeQuickstartIT {

    @TempDir
    Path work;

    @Test
    void quickstartProjectIsWovenByItsOwnBuildAndItsCallsReachInflux() throws Exception {
        Path project = work.resolve("quickstart");
        copy(Path.of("..", "examples", "quickstart"), project);

        String build = run(project, List.of("mvn", "-B", "package"), Map.of());
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.Shop.checkout(java.lang.String))'"
                + " in Type 'com.example.Shop'"), "the user's build log shows the weaving:\n" + build);
        assertFalse(build.contains("[WARNING]"), "no weaver warning in the user's build:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String out = run(project, List.of(javaBin,
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop",
                    "-cp", project.resolve("target/classes") + File.pathSeparator + System.getProperty("java.class.path"),
                    "com.example.Shop", "1000"), Map.of());
            assertTrue(out.contains("sold book 999"), out);

            List<Map<String, Object>> points = influx.pointsOf("raw-requests", "com.example.Shop.checkout");
            assertEquals(1000, points.size());
            Map<String, Object> point = points.get(0);
            assertEquals("ok", point.get("outcome"));
            assertTrue(((String) point.get("process")).startsWith(point.get("hostname") + ":"), point.toString());
            assertTrue((Double) point.get("application_time") > 0, point.toString());
        }
    }

    private static String run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("run", ".log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish:\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + out);
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                if (relative.startsWith("target")) {
                    continue;
                }
                Files.copy(source, to.resolve(relative.toString()));
            }
        }
    }
}
