package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/kotlin}: Kotlin with coroutines, compiled by kotlinc and woven by ajc afterwards
 * (docs/weaving.md), built by a real {@code mvn} and run in its own JVM. A {@code suspend} function
 * is one point per call, however often it suspends (its state machine entering the method again
 * is not a call), timed until its result or exception reaches its caller.
 */
class KotlinExampleIT {

    private static final String ORDERS = "com.example.kotlin.Orders.";
    private static final int CALLS = 20;

    @TempDir
    Path work;

    @Test
    void aSuspendFunctionIsOnePointPerCallTimedToItsEnd() throws Exception {
        Path project = ExampleProjects.copy("kotlin", work);
        // A result tag on a function without a result: javac's checks do not see Kotlin, so ajc must say it.
        ExampleProjects.replaceIn(project.resolve("src/main/kotlin/com/example/kotlin/Orders.kt"),
                "    /** Calls itself: each level is a call of its own. */", """
                    @FunctionCall
                    @ResultTag("status")
                    fun restock(item: String) {
                    }

                    /** Calls itself: each level is a call of its own. */""");
        String build = ExampleProjects.build(project);
        assertTrue(build.contains("BUILD SUCCESS"), build);
        assertTrue(build.contains("Join point 'method-execution(java.lang.Object com.example.kotlin.Orders.place("
                + "java.lang.String, kotlin.coroutines.Continuation))'"), "ajc wove the compiled Kotlin:\n" + build);
        List<String> warnings = build.lines().filter(line -> line.startsWith("[WARNING] rawmetrics:")).toList();
        assertEquals(2, warnings.size(), "the cold Flow and the void result tag, and nothing else:\n" + build);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("a Kotlin Flow or Deferred")) && build.contains("Orders.kt:"),
                build);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("rawmetrics: @ResultTag on a method that returns no single"
                + " value (void, a Flux, Completable, Observable, Flowable or Publisher): its points are written without"
                + " that tag")), "the warning troubleshooting.md names:\n" + build);

        try (InfluxdProcess influxd = InfluxdProcess.startTemporary();
             PointsInInflux influx = new PointsInInflux(influxd, "orders")) {
            // The project's own class path: Kotlin 2's standard library and kotlinx-coroutines.
            ExampleProjects.mvn(project, Map.of(), "-B", "-q", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt");
            String classpath = project.resolve("target/classes") + java.io.File.pathSeparator
                    + Files.readString(project.resolve("classpath.txt")).strip();
            String out = ExampleProjects.run(project, List.of(Jdks.running().java().toString(),
                    "-Drawmetrics.influxdb.url=" + influxd.url(), "-Drawmetrics.influxdb.database=orders",
                    "-Drawmetrics.self-metrics=true",
                    "-cp", classpath, "com.example.kotlin.AppKt", String.valueOf(CALLS)));
            assertTrue(out.contains("made " + CALLS + " calls of each"), out);

            List<Map<String, Object>> placed = influx.pointsOf("raw-requests", ORDERS + "place");
            assertEquals(CALLS, placed.size(), "one point per call, not one per entry: " + placed);
            // Tagged by the call's argument, not by what the state machine passes when it resumes it.
            assertEquals(java.util.stream.IntStream.range(0, CALLS).mapToObj(i -> "book " + i).collect(
                    java.util.stream.Collectors.toSet()), placed.stream().map(p -> p.get("item")).collect(
                    java.util.stream.Collectors.toSet()));
            List<Map<String, Object>> guard = influx.select("SELECT last(\"values\") AS \"values\" FROM \"rawmetrics-tags\""
                    + " WHERE \"function\" = '" + ORDERS + "place' AND \"tag\" = 'item'");
            assertEquals(CALLS, ((Number) guard.get(0).get("values")).intValue(), "no value taken from a resumption: " + guard);
            for (Map<String, Object> point : placed) {
                assertEquals("ok", point.get("outcome"));
                assertEquals("placed", point.get("status"), "the result tag, from the value it returned once resumed");
                assertTrue((Double) point.get("application_time") >= 0.050, "both delays: " + point);
            }
            List<Map<String, Object>> cancelled = influx.pointsOf("raw-requests", ORDERS + "cancel");
            assertEquals(CALLS, cancelled.size());
            for (Map<String, Object> point : cancelled) {
                assertEquals("error", point.get("outcome"));
                assertEquals("java.lang.IllegalStateException", point.get("exception"));
                assertEquals("error", point.get("status"), "the result tag of a call that threw after it suspended");
                assertTrue((Double) point.get("application_time") >= 0.030, point.toString());
            }
            List<Map<String, Object>> prices = influx.pointsOf("raw-requests", ORDERS + "price");
            assertEquals(CALLS, prices.size(), "calls that never suspend");
            assertTrue(prices.stream().allMatch(p -> "400".equals(p.get("price"))), () -> "tagged by the Int returned: " + prices);

            List<Double> countdown = influx.pointsOf("raw-requests", ORDERS + "countdown").stream()
                    .map(p -> (Double) p.get("application_time")).sorted(Comparator.reverseOrder()).toList();
            assertEquals(4, countdown.size(), "a call that calls itself is a call at each level: " + countdown);
            assertTrue(countdown.get(0) >= 0.030 && countdown.get(1) >= 0.020 && countdown.get(2) >= 0.010,
                    countdown.toString());
        }
    }
}
