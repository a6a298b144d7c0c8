package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /** The second JDK this machine kind ships (see the env notes); users are on 17, 21 and 25. */
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path work;

    @Test
    void quickstartProjectIsWovenByItsOwnBuildAndItsCallsReachInflux() throws Exception {
        Path project = ExampleProjects.copy("quickstart", work);

        String build = ExampleProjects.build(project);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.Shop.checkout(java.lang.String))'"
                + " in Type 'com.example.Shop'"), "the user's build log shows the weaving:\n" + build);
        assertFalse(build.contains("[WARNING]"), "no weaver warning in the user's build:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            String out = ExampleProjects.runJava(project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop"),
                    "com.example.Shop", "1000");
            assertTrue(out.contains("sold book 999"), out);

            List<Map<String, Object>> points = influx.pointsOf("raw-requests", "com.example.Shop.checkout");
            assertEquals(1000, points.size());
            Map<String, Object> point = points.get(0);
            assertEquals("ok", point.get("outcome"));
            assertTrue(((String) point.get("process")).startsWith(point.get("hostname") + ":"), point.toString());
            assertTrue((Double) point.get("application_time") > 0, point.toString());
        }
    }

    @Test
    void quickstartBuildsWithAspectJ1925AndRunsOnJava25() throws Exception {
        assertTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), "Temurin 25 is expected at " + JAVA_25);
        Path project = ExampleProjects.copy("quickstart", work);

        String build = ExampleProjects.build(project, JAVA_25, List.of("-Daspectj.version=1.9.25"));
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.Shop.checkout(java.lang.String))'"),
                "woven by ajc 1.9.25 running on Java 25:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop25")) {
            String out = ExampleProjects.runJava(JAVA_25, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop25",
                            "-XshowSettings:properties"),
                    "com.example.Shop", "200");
            assertTrue(out.contains("java.version = 25"), "ran on Java 25:\n" + out);
            assertEquals(200, influx.pointsOf("raw-requests", "com.example.Shop.checkout").size());
        }
    }
}
