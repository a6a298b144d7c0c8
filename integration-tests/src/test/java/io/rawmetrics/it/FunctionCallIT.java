package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.EnglishGreeter;
import io.rawmetrics.it.fixtures.MethodKinds;
import io.rawmetrics.it.fixtures.TimedClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fixtures woven by ajc from metrics-aspect as an aspect library, exactly as in a user's build,
 * called for real; every assertion reads the points back from a real influxd.
 */
class FunctionCallIT {

    private static final String DB = "functioncall_it";
    private static final String FIXTURES = "io.rawmetrics.it.fixtures.";
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private final MethodKinds kinds = new MethodKinds();

    @BeforeAll
    static void startInfluxdAndRecorder() {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder()
                .url(influxd.url().toString())
                .database(DB)
                .bufferCapacity(500_000)
                .build());
    }

    @AfterAll
    static void stop() {
        RawMetrics.stop(Duration.ofSeconds(10));
        influx.close();
        influxd.close();
    }

    private List<Map<String, Object>> flushAndRead(String function) {
        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT), "flush completed");
        return influx.pointsOf("raw-requests", FIXTURES + function);
    }

    private static Map<String, Object> only(List<Map<String, Object>> points) {
        assertEquals(1, points.size(), () -> "exactly one point: " + points);
        return points.get(0);
    }

    @Test
    void instanceMethodWritesOnePointWithTheWorkshopSchema() throws IOException {
        long before = Instant.now().toEpochMilli() * 1_000_000;
        assertEquals(2 * 31 + 7, kinds.instanceMethod(2));
        long after = Instant.now().toEpochMilli() * 1_000_000 + 1_000_000;

        Map<String, Object> point = only(flushAndRead("MethodKinds.instanceMethod"));
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        assertEquals(hostname, point.get("hostname"));
        assertEquals(hostname + ":" + ProcessHandle.current().pid(), point.get("process"));
        assertEquals("ok", point.get("outcome"));
        assertFalse(point.containsKey("exception"));
        double seconds = (Double) point.get("application_time");
        assertTrue(seconds >= 0 && seconds < 1, "application_time in seconds: " + seconds);
        long time = ((Number) point.get("time")).longValue();
        assertTrue(time >= before && time <= after, "time is the completion time: " + time);
    }

    @Test
    void everyMethodKindIsTimedAndReturnsItsResultUnchanged() {
        assertEquals(8L, MethodKinds.staticMethod(7));
        assertEquals("hi!", kinds.callPrivate("hi"));
        assertEquals(1.5, kinds.finalMethod(3.0));
        assertEquals("pear", kinds.genericMax(List.of("apple", "pear", "fig")));
        assertEquals(6, kinds.varargsSum(1, 2, 3));
        StringBuilder out = new StringBuilder();
        kinds.voidMethod(out);
        assertEquals("called", out.toString());
        assertTrue(kinds.booleanMethod(1));
        assertEquals(5f, kinds.floatMethod(2.5f));
        assertEquals('é', kinds.charMethod("été"));
        assertEquals("Hello Ada!", new EnglishGreeter().greet("Ada"));

        for (String function : List.of("MethodKinds.staticMethod", "MethodKinds.privateMethod",
                "MethodKinds.finalMethod", "MethodKinds.genericMax", "MethodKinds.varargsSum",
                "MethodKinds.voidMethod", "MethodKinds.booleanMethod", "MethodKinds.floatMethod",
                "MethodKinds.charMethod", "Greeter.greet")) {
            Map<String, Object> point = only(flushAndRead(function));
            assertEquals("ok", point.get("outcome"), function);
        }
        assertEquals(0, flushAndRead("MethodKinds.untimed").size(), "an unannotated method is not timed");
    }

    @Test
    void checkedExceptionPassesThroughUnchangedAndIsRecordedAsError() {
        IOException thrown = new IOException("disk on fire");
        IOException caught = assertThrows(IOException.class, () -> kinds.throwsChecked(thrown));
        assertSame(thrown, caught);

        Map<String, Object> point = only(flushAndRead("MethodKinds.throwsChecked"));
        assertEquals("error", point.get("outcome"));
        assertEquals("java.io.IOException", point.get("exception"));
    }

    @Test
    void uncheckedExceptionAndErrorPassThroughUnchanged() {
        IllegalStateException runtime = new IllegalStateException("no");
        assertSame(runtime, assertThrows(IllegalStateException.class, () -> kinds.throwsUnchecked(runtime)));
        AssertionError error = new AssertionError("boom");
        assertSame(error, assertThrows(AssertionError.class, () -> kinds.throwsError(error)));

        assertEquals("java.lang.IllegalStateException",
                only(flushAndRead("MethodKinds.throwsUnchecked")).get("exception"));
        assertEquals("java.lang.AssertionError", only(flushAndRead("MethodKinds.throwsError")).get("exception"));
    }

    @Test
    void applicationTimeIsTheCallsDurationInSeconds() {
        kinds.busyFor(Duration.ofMillis(20).toNanos());

        double seconds = (Double) only(flushAndRead("MethodKinds.busyFor")).get("application_time");
        assertTrue(seconds >= 0.020 && seconds < 5, "application_time " + seconds);
    }

    @Test
    void annotationChoosesMeasurementAndAddsConstantTags() {
        assertEquals("custom", kinds.customised());

        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT));
        Map<String, Object> point = only(influx.pointsOf("checkout-requests", FIXTURES + "MethodKinds.customised"));
        assertEquals("checkout", point.get("team"));
        assertEquals("web", point.get("tier"));
        assertEquals("ok", point.get("outcome"));
    }

    @Test
    void invalidAnnotationTagsNeverBreakTheMethodAndItsCallsAreStillRecorded() {
        assertEquals("still works", kinds.badTag());
        assertEquals("still works", kinds.reservedTag());

        assertFalse(only(flushAndRead("MethodKinds.badTag")).containsKey("no-equals-sign"));
        assertEquals("ok", only(flushAndRead("MethodKinds.reservedTag")).get("outcome"));
    }

    @Test
    void classAnnotationTimesEveryPublicMethodAndMethodAnnotationWins() {
        TimedClass timed = new TimedClass();
        assertEquals(5, timed.first(2));
        assertEquals("second", TimedClass.second());
        assertEquals("own", timed.ownAnnotation());

        assertEquals("service", only(flushAndRead("TimedClass.first")).get("layer"));
        assertEquals("service", only(flushAndRead("TimedClass.second")).get("layer"));
        assertEquals(0, flushAndRead("TimedClass.helper").size(), "private methods are not timed");
        Map<String, Object> own = only(influx.pointsOf("own-measurement", FIXTURES + "TimedClass.ownAnnotation"));
        assertFalse(own.containsKey("layer"), "the method's annotation replaces the class's");
    }

    @Test
    void callsInTheSameNanosecondStillBecomeDistinctPoints() {
        int calls = 20_000;
        for (int i = 0; i < calls; i++) {
            kinds.overloaded(i);
            kinds.overloaded("x");
        }

        // Both overloads share one series (same tags). InfluxDB keeps one point per series and
        // timestamp, so a count equal to the number of calls proves every timestamp was unique.
        assertEquals(2 * calls, flushAndRead("MethodKinds.overloaded").size(), "one point per call, none overwritten");
    }

    @Test
    void tenThreadsTimesTenThousandCallsGiveExactlyOneHundredThousandPoints() throws Exception {
        int threads = 10;
        int callsPerThread = 10_000;
        long droppedBefore = RawMetrics.stats().dropped();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Long>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    long sum = 0;
                    for (int i = 0; i < callsPerThread; i++) {
                        sum += MethodKinds.concurrentCall(i);
                    }
                    return sum;
                }));
            }
            start.countDown();
            for (Future<Long> result : results) {
                assertEquals((long) callsPerThread * (callsPerThread + 1) / 2, result.get());
            }
        } finally {
            pool.shutdown();
        }

        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT));
        assertEquals(droppedBefore, RawMetrics.stats().dropped(), "nothing dropped");
        assertEquals(threads * callsPerThread, influx.count("SELECT count(application_time) FROM \"raw-requests\""
                + " WHERE \"function\" = '" + FIXTURES + "MethodKinds.concurrentCall'"));
    }
}
