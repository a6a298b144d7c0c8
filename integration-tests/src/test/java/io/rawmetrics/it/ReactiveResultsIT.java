package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.ReactiveCalls;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Timed methods returning lazy results (Reactor, RxJava 3, Reactive Streams and {@code Flow}
 * publishers) are timed from the call to the end of the subscription to what they returned, which
 * runs on another thread: one point per call, {@code ok}, {@code error} with its exception, or
 * {@code cancelled}. The workshop's generator trap, in today's Java.
 */
class ReactiveResultsIT {

    private static final String DB = "reactive_it";
    private static final String PREFIX = "io.rawmetrics.it.fixtures.ReactiveCalls.";
    private static final Duration DELAY = Duration.ofMillis(50);
    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private final ReactiveCalls reactive = new ReactiveCalls();

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

    /** Each point took at least the delay, though the method returned in microseconds. */
    private static void assertEachTookTheDelay(List<Map<String, Object>> points, String outcome) {
        for (Map<String, Object> point : points) {
            assertEquals(outcome, point.get("outcome"), point.toString());
            assertTrue((Double) point.get("application_time") >= DELAY.toNanos() / 1e9, point.toString());
        }
    }

    @Test
    void aMonoIsTimedUntilItEmitsNotUntilItIsBuilt() {
        for (int i = 0; i < 20; i++) {
            long before = System.nanoTime();
            Mono<String> mono = reactive.monoAfter(DELAY);
            assertTrue(System.nanoTime() - before < DELAY.toNanos(), "the method returns before the work is done");
            assertEquals("done", mono.block());
        }

        // aSecondSubscriptionIsNotASecondPoint times this method too, with a delay of 5 ms
        List<Map<String, Object>> points = points("monoAfter").stream()
                .filter(p -> (Double) p.get("application_time") >= 0.040).toList();
        assertEquals(20, points.size());
        assertEachTookTheDelay(points, "ok");
        assertNull(points.get(0).get("exception"));
    }

    @Test
    void aMonoThatFailsLaterIsAnErrorWithItsException() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> reactive.monoFailingAfter(DELAY).block());
        assertEquals("failed late", thrown.getMessage(), "the error reaches the subscriber unchanged");

        List<Map<String, Object>> points = points("monoFailingAfter");
        assertEquals(1, points.size());
        assertEachTookTheDelay(points, "error");
        assertEquals("java.lang.IllegalStateException", points.get(0).get("exception"));
    }

    @Test
    void aFluxIsTimedUntilItCompletesAndOneCancelledBeforeIsCancelled() {
        assertEquals(List.of(0L, 1L, 2L), reactive.fluxEvery(Duration.ofMillis(20), 3).collectList().block());
        assertEquals(List.of(0L, 1L), reactive.fluxEvery(DELAY, 1_000).take(2).collectList().block());

        List<Map<String, Object>> points = points("fluxEvery");
        assertEquals(2, points.size());
        Map<String, Object> completed = points.stream().filter(p -> "ok".equals(p.get("outcome"))).findFirst().orElseThrow();
        Map<String, Object> cancelled = points.stream().filter(p -> "cancelled".equals(p.get("outcome"))).findFirst()
                .orElseThrow(() -> new AssertionError("no cancelled point: " + points));
        assertTrue((Double) completed.get("application_time") >= 0.060, completed.toString());
        assertTrue((Double) cancelled.get("application_time") >= 2 * DELAY.toNanos() / 1e9, cancelled.toString());
        assertNull(cancelled.get("exception"));
    }

    @Test
    void rxJavasFiveTypesAreTimedToTheirEnd() {
        assertEquals("done", reactive.singleAfter(DELAY).blockingGet());
        assertNull(reactive.maybeEmptyAfter(DELAY).blockingGet());
        reactive.completableAfter(DELAY).blockingAwait();
        assertEquals(List.of(0L, 1L), reactive.observableEvery(Duration.ofMillis(30), 2).toList().blockingGet());
        assertThrows(java.io.UncheckedIOException.class, () -> reactive.flowableFailingAfter(DELAY).blockingLast());

        for (String method : List.of("singleAfter", "maybeEmptyAfter", "completableAfter")) {
            List<Map<String, Object>> points = points(method);
            assertEquals(1, points.size(), method);
            assertEachTookTheDelay(points, "ok");
        }
        List<Map<String, Object>> observable = points("observableEvery");
        assertEquals(1, observable.size());
        assertTrue((Double) observable.get(0).get("application_time") >= 0.060, observable.toString());
        List<Map<String, Object>> flowable = points("flowableFailingAfter");
        assertEquals(1, flowable.size());
        assertEachTookTheDelay(flowable, "error");
        assertEquals("java.io.UncheckedIOException", flowable.get(0).get("exception"));
    }

    @Test
    void bareReactiveStreamsAndFlowPublishersAreTimedToTheirEnd() throws Exception {
        // Flux.from: it waits for the completion (Mono.from would cancel after the first item)
        assertEquals(0L, Flux.from(reactive.publisherAfter(DELAY)).blockLast());
        CompletableFuture<Long> received = new CompletableFuture<>();
        reactive.flowPublisherAfter(DELAY).subscribe(new Flow.Subscriber<Long>() {
            private Long item;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Long next) {
                item = next;
            }

            @Override
            public void onError(Throwable error) {
                received.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                received.complete(item);
            }
        });
        assertEquals(0L, received.get(10, TimeUnit.SECONDS));

        assertEachTookTheDelay(points("publisherAfter"), "ok");
        assertEquals(1, points("publisherAfter").size());
        assertEachTookTheDelay(points("flowPublisherAfter"), "ok");
        assertEquals(1, points("flowPublisherAfter").size());
    }

    /** A second subscription to what one call returned is not a second call: the first end is timed. */
    @Test
    void aSecondSubscriptionIsNotASecondPoint() {
        Mono<String> mono = reactive.monoAfter(Duration.ofMillis(5)).cache();
        Mono<String> twice = reactive.monoAfter(Duration.ofMillis(5));
        assertEquals("done", twice.block());
        assertEquals("done", twice.block());
        assertEquals("done", mono.block());

        // two calls (one of them subscribed twice): two points of this test, beside the other tests'
        long ofThisTest = points("monoAfter").stream()
                .filter(p -> (Double) p.get("application_time") < 0.040).count();
        assertEquals(2, ofThisTest);
    }

    /** A publisher nobody subscribes to records nothing and is not kept alive by the library. */
    @Test
    void aNeverSubscribedPublisherRecordsNothingAndIsCollected() {
        WeakReference<Mono<String>> returned = new WeakReference<>(reactive.neverSubscribed());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (returned.get() != null && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll again, until the deadline
        }
        assertNull(returned.get(), "the library holds no reference to what the method returned");
        assertEquals(0, points("neverSubscribed").size());
    }
}
