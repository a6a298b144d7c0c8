package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.LaterResults;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls whose work ends after the method returns are timed until it really ends. */
class LaterResultsIT {

    private static final String DB = "later_it";
    private static final String PREFIX = "io.rawmetrics.it.fixtures.LaterResults.";
    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private final LaterResults later = new LaterResults();

    @BeforeAll
    static void start() {
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

    private List<Map<String, Object>> points(String method) {
        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)));
        return influx.pointsOf("raw-requests", PREFIX + method);
    }

    private static void busyFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void futureIsTimedUntilItCompletesAndReturnedUnchanged() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        assertSame(future, later.future(future));
        assertEquals(0, points("future").size(), "no point before completion");

        busyFor(Duration.ofMillis(30));
        future.complete("ok");

        List<Map<String, Object>> points = points("future");
        assertEquals(1, points.size());
        assertEquals("ok", points.get(0).get("outcome"));
        assertTrue((Double) points.get(0).get("application_time") >= 0.030, points.toString());
        assertEquals("ok", future.get());
    }

    @Test
    void futureCompletedExceptionallyIsAnErrorWithItsCause() {
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<Integer> parsed = later.parsed(text);
        text.complete("not a number");

        assertTrue(parsed.isCompletedExceptionally());
        Map<String, Object> point = points("parsed").get(0);
        assertEquals("error", point.get("outcome"));
        assertEquals("java.lang.NumberFormatException", point.get("exception"));
    }

    @Test
    void futureFailedDirectlyIsAnErrorWithItsException() {
        CompletableFuture<String> future = new CompletableFuture<>();
        later.futureToFail(future);
        future.completeExceptionally(new IOException("gone"));

        Map<String, Object> point = points("futureToFail").get(0);
        assertEquals("error", point.get("outcome"));
        assertEquals("java.io.IOException", point.get("exception"));
    }

    @Test
    void alreadyCompletedStageIsTimedAtOnce() throws Exception {
        CompletionStage<String> stage = later.alreadyCompleted();

        assertEquals("done", stage.toCompletableFuture().get());
        assertEquals("ok", points("alreadyCompleted").get(0).get("outcome"));
    }

    @Test
    void nullFutureIsTimedLikeAnyReturn() {
        assertNull(later.nullFuture());
        assertEquals(1, points("nullFuture").size());
    }

    @Test
    void neverCompletedFutureRecordsNothingAndIsNotKeptAlive() {
        CompletableFuture<String> future = later.neverCompleted();
        WeakReference<CompletableFuture<String>> weak = new WeakReference<>(future);
        future = null;

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (weak.get() != null && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll again, until the deadline
        }
        assertNull(weak.get(), "the library holds no reference to a pending future");
        assertEquals(0, points("neverCompleted").size());
    }

    @Test
    void deferredBodyIsTimedUntilClosedAndRecordedOnceEvenIfClosedTwice() {
        LaterResults.Body body = later.body();
        busyFor(Duration.ofMillis(20));
        body.close();
        body.close();

        List<Map<String, Object>> points = points("body");
        assertEquals(1, points.size());
        assertTrue((Double) points.get(0).get("application_time") >= 0.020, points.toString());

        LaterResults.Body failing = later.body();
        failing.fail(new IllegalStateException("broken pipe"));
        failing.close();
        assertEquals("java.lang.IllegalStateException", points("body").stream()
                .filter(p -> "error".equals(p.get("outcome"))).findFirst().orElseThrow().get("exception"));
    }
}
