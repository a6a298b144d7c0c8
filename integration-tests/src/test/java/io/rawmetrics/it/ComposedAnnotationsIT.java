package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.ComposedCalls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Composed annotations (an annotation annotated {@code @FunctionCall}, up to three levels), woven
 * by ajc as in a user's build: every call is one point in a real influxd, with the tags the
 * composition gives, and a method that carries several is timed once.
 */
class ComposedAnnotationsIT {

    private static final String DB = "composed_it";
    private static final String FIXTURES = "io.rawmetrics.it.fixtures.";
    private static final int CALLS = 1_000;

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private final ComposedCalls calls = new ComposedCalls();

    @BeforeAll
    static void startInfluxdAndRecorder() {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database(DB).build());
    }

    @AfterAll
    static void stop() {
        RawMetrics.stop(Duration.ofSeconds(10));
        influx.close();
        influxd.close();
    }

    private static List<Map<String, Object>> pointsOf(String measurement, String function) {
        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)), "flush completed");
        return influx.pointsOf(measurement, FIXTURES + function);
    }

    /** Every point of {@code function}: {@code CALLS} of them, each with {@code tags}. */
    private static void assertEveryCallIsOnePointWith(String measurement, String function, Map<String, String> tags,
            long startMillis) {
        List<Map<String, Object>> points = pointsOf(measurement, function);
        assertEquals(CALLS, points.size(), function + ": one point per call, no call timed twice");
        long endMillis = System.currentTimeMillis();
        for (Map<String, Object> point : points) {
            tags.forEach((key, value) -> assertEquals(value, point.get(key), function + "'s tag " + key + ": " + point));
            long millis = ((Number) point.get("time")).longValue() / 1_000_000;
            assertTrue(millis >= startMillis - 5 && millis <= endMillis + 5,
                    function + " ended at " + point.get("time") + ", outside the calls' window");
        }
    }

    @Test
    void aComposedAnnotationTimesEveryCallWithItsTags() {
        long start = System.currentTimeMillis();
        for (int i = 0; i < CALLS; i++) {
            assertEquals(i + 1, calls.service(i), "the result passes through");
        }
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls.service", Map.of("layer", "service", "outcome", "ok"),
                start);
    }

    @Test
    void twoAndThreeLevelsOfCompositionCarryEveryLevelsTags() {
        long start = System.currentTimeMillis();
        for (int i = 0; i < CALLS; i++) {
            assertEquals("checked out", calls.checkout());
            assertEquals("audited", calls.audited());
        }
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls.checkout",
                Map.of("layer", "service", "team", "checkout"), start);
        assertEveryCallIsOnePointWith("audited-requests", "ComposedCalls.audited",
                Map.of("layer", "service", "team", "checkout", "audit", "yes"), start);
    }

    @Test
    void aMethodWithItsOwnAnnotationAndComposedOnesIsTimedOnceItsOwnTagsWinning() {
        long start = System.currentTimeMillis();
        for (int i = 0; i < CALLS; i++) {
            assertEquals("both", calls.both());
            assertEquals("two", calls.twoComposed());
        }
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls.both", Map.of("layer", "web", "tier", "front"), start);
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls.twoComposed",
                Map.of("layer", "service", "team", "checkout"), start);
    }

    @Test
    void onAClassItTimesEveryPublicMethodAndTheExceptionAndTagsWorkAsWithFunctionCall() {
        long start = System.currentTimeMillis();
        ComposedCalls.Service service = new ComposedCalls.Service();
        for (int i = 0; i < CALLS; i++) {
            assertEquals("work", service.work());
            assertEquals("t" + (i % 3), calls.tagged("t" + (i % 3)));
            java.io.IOException e = assertThrows(java.io.IOException.class, calls::fails);
            assertEquals("disk full", e.getMessage(), "the exception passes through unchanged");
        }
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls$Service.work", Map.of("layer", "service"), start);
        assertEveryCallIsOnePointWith("raw-requests", "ComposedCalls.fails",
                Map.of("layer", "service", "outcome", "error", "exception", "java.io.IOException"), start);
        List<Map<String, Object>> tagged = pointsOf("raw-requests", "ComposedCalls.tagged");
        assertEquals(CALLS, tagged.size());
        assertEquals(334, tagged.stream().filter(p -> "t0".equals(p.get("tenant"))).count());
        assertFalse(pointsOf("raw-requests", "ComposedCalls$Service.helper").iterator().hasNext(),
                "only public methods of a class are timed");
    }
}
