package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.Jdks.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code examples/reactor}, a user's project with Reactor and RxJava as its own dependencies, built
 * by a real {@code mvn} and run in its own JVM: each call of a method returning a {@code Mono}, a
 * {@code Flux} or a {@code Single} is one point, timed to the end of its subscription; the build
 * warns, naming the method, about the one returning a {@code Stream}, and about nothing else.
 */
class ReactorExampleIT {

    private static final String QUOTES = "com.example.reactive.Quotes.";
    private static final int CALLS = 20;

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("io.rawmetrics.it.ExampleProjects#jdks")
    void reactiveCallsAreTimedToTheEndOfTheirSubscription(Jdk jdk) throws Exception {
        Path project = ExampleProjects.copy("reactor", work);

        String build = ExampleProjects.build(project, jdk);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("Join point 'method-execution(reactor.core.publisher.Mono com.example.reactive.Quotes.price("
                + "java.lang.String))'"), build);
        List<String> warnings = build.lines().filter(line -> line.startsWith("[WARNING]")).toList();
        assertEquals(1, warnings.stream().filter(line -> line.contains("rawmetrics: this timed method returns a lazy result"))
                .count(), build);
        assertTrue(build.contains("Quotes.java:"), "the warning names where the method is:\n" + build);
        assertEquals(1, warnings.stream().filter(line -> !line.trim().equals("[WARNING]")).count(),
                "no other warning:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "quotes")) {
            String out = ExampleProjects.runJava(jdk, project, project.resolve("target/classes"),
                    List.of("-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=quotes"),
                    "com.example.reactive.App", String.valueOf(CALLS));
            assertTrue(out.contains("made " + CALLS + " calls of each"), out);

            assertEachCall(influx.pointsOf("raw-requests", QUOTES + "price"), "ok", 0.050);
            List<Map<String, Object>> delisted = influx.pointsOf("raw-requests", QUOTES + "delisted");
            assertEachCall(delisted, "error", 0.030);
            assertEquals("java.lang.IllegalStateException", delisted.get(0).get("exception"));
            List<Map<String, Object>> ticks = influx.pointsOf("raw-requests", QUOTES + "ticks");
            assertEachCall(ticks, "cancelled", 0.060);
            assertNull(ticks.get(0).get("exception"));
            assertEachCall(influx.pointsOf("raw-requests", QUOTES + "currency"), "ok", 0.040);
            assertEquals(CALLS, influx.pointsOf("raw-requests", QUOTES + "symbols").size());
        }
    }

    private static void assertEachCall(List<Map<String, Object>> points, String outcome, double atLeastSeconds) {
        assertEquals(CALLS, points.size(), points.toString());
        for (Map<String, Object> point : points) {
            assertEquals(outcome, point.get("outcome"), point.toString());
            assertTrue((Double) point.get("application_time") >= atLeastSeconds, point.toString());
        }
    }
}
