package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A separate Maven project set up only as the README says ({@code examples/quickstart}) is built
 * by a real {@code mvn}, weaves {@code @FunctionCall} into its own class, runs in its own JVM, and
 * its calls are in InfluxDB after it exits (written by the shutdown hook): on Java 17 with AspectJ
 * 1.9.24, and on Java 25 with AspectJ 1.9.25.
 *
 * <p>Needs the rawmetrics artifacts in the local Maven repository: the README's test command,
 * {@code mvn -B install}, installs them before this module's integration tests run.
 */
class ReadmeQuickstartIT {

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void quickstartProjectIsWovenByItsOwnBuildAndItsCallsReachInflux(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("quickstart", work);

        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.Shop.checkout(java.lang.String))'"
                + " in Type 'com.example.Shop'"), "the user's build log shows the weaving:\n" + build);
        assertTrue(build.contains("Join point 'method-execution(java.lang.String com.example.web.OrderHandler.handle(java.lang.String))'"
                + " in Type 'com.example.web.OrderHandler'"), build);
        assertFalse(build.contains("[WARNING]"), "no weaver warning in the user's build:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "shop")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=shop"),
                    "com.example.Shop", "1000");
            assertTrue(out.contains("sold book 999"), out);

            List<Map<String, Object>> points = influx.pointsOf("raw-requests", "com.example.Shop.checkout");
            assertEquals(1000, points.size());
            Map<String, Object> point = points.get(0);
            assertEquals("ok", point.get("outcome"));
            assertTrue(((String) point.get("process")).startsWith(point.get("hostname") + ":"), point.toString());
            assertTrue((Double) point.get("application_time") > 0, point.toString());

            assertEquals(1000, influx.pointsOf("raw-requests", "com.example.web.OrderHandler.handle").size(),
                    "the TimedPointcut aspect of docs/getting-started.md times the handler");
        }
    }

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void ajcRunsTheAttributeCheckerAndFailsTheBuildOnABadTag(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("quickstart", work);
        ExampleProjects.replaceIn(project.resolve("src/main/java/com/example/Shop.java"),
                "@FunctionCall\n", "@FunctionCall(tags = \"checkout\")\n");

        String build = ExampleProjects.buildExpectingFailure(project, jdk);
        assertTrue(build.contains("invalid @FunctionCall on com.example.Shop.checkout: tag \"checkout\" must be written key=value"),
                "the error docs/troubleshooting.md shows:\n" + build);
    }

    @Test
    void aComplianceLevelNewerThanTheAspectJCompilerFailsAsTroubleshootingSays() throws Exception {
        Jdk jdk = Jdks.running();
        int tooNew = jdk.newestAspectjLevel() + 1; // 25 for AspectJ 1.9.24 (Java 17 to 24), as troubleshooting.md shows
        Path project = ExampleProjects.copy("quickstart", work);
        ExampleProjects.replaceIn(project.resolve("pom.xml"),
                "<complianceLevel>17</complianceLevel>", "<complianceLevel>" + tooNew + "</complianceLevel>");

        String build = ExampleProjects.buildExpectingFailure(project, jdk);
        String expected = tooNew == 25 ? "[ERROR] error unrecognized single argument: \"-25\""
                : "[ERROR] error unrecognized single argument: \"-" + tooNew + "\"";
        assertTrue(build.contains(expected), "AspectJ " + jdk.aspectjVersion() + " and level " + tooNew + ":\n" + build);
    }
}
