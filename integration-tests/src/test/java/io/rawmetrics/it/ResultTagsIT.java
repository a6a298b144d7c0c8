package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.it.fixtures.ResultTaggedCalls;
import io.rawmetrics.it.fixtures.ResultTaggedCalls.Order;
import io.rawmetrics.it.fixtures.ResultTaggedCalls.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @ResultTag} woven by ajc as in a user's build, called for real, every point read back from
 * a real influxd: the value each result gives, synchronous, later (a CompletableFuture, a Mono, an
 * RxJava Single, a Deferred), beside argument tags, for calls that throw, fail later or are
 * cancelled; the cardinality guard; resolvers that fail; and the time each point says its call took.
 */
class ResultTagsIT {

    private static final String DB = "result_tags_it";
    private static final String FIXTURES = "io.rawmetrics.it.fixtures.ResultTaggedCalls.";
    private static final int MAX_TAG_VALUES = 20;
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private final ResultTaggedCalls calls = new ResultTaggedCalls();

    @BeforeAll
    static void startInfluxdAndRecorder() {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder()
                .url(influxd.url().toString())
                .database(DB)
                .bufferCapacity(500_000)
                .maxTagValues(MAX_TAG_VALUES)
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

    private static Map<String, Long> countsBy(List<Map<String, Object>> points, String... tags) {
        return TaggedPoints.countsBy(points, tags);
    }

    private static RawMetrics.TagStats tagStats(String function, String tag) {
        return TaggedPoints.tagStats(FIXTURES + function, tag);
    }

    @Test
    void sixThousandOrdersOnFourThreadsAreCountedExactlyByTheirStatus() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 1_500; i++) {
                    String item = (thread * 1_500 + i) % 3 == 0 ? "refuse-" + i : "book-" + i;
                    Order order = calls.place(item);
                    assertEquals(item, order.item(), "the result reaches the caller unchanged");
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();

        List<Map<String, Object>> points = flushAndRead("place");
        assertEquals(Map.of("placed", 4_000L, "refused", 2_000L), countsBy(points, "status"));
        assertEquals(Map.of("ok", 6_000L), countsBy(points, "outcome"));
        assertEquals(2, influx.select("SHOW SERIES FROM \"raw-requests\" WHERE \"function\" = '" + FIXTURES + "place'")
                .size(), "one series per status");
        assertEquals(new RawMetrics.TagStats(FIXTURES + "place", "status", 2, 0, 0, 0), tagStats("place", "status"));
    }

    @Test
    void aCallThatThrowsHasTheValueErrorAndItsExceptionPassesThroughUnchanged() {
        calls.placeOrThrow("book");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> calls.placeOrThrow("throw"));
        assertEquals("no such item: throw", thrown.getMessage());

        List<Map<String, Object>> points = flushAndRead("placeOrThrow");
        assertEquals(Map.of("error/error/java.lang.IllegalArgumentException", 1L, "ok/placed/", 1L),
                countsBy(points, "outcome", "status", "exception"));
        assertEquals(0, tagStats("placeOrThrow", "status").resolverErrors(), "the method's exception is not the resolver's");
    }

    @Test
    void aPrimitiveResultIsBoxedForItsResolver() {
        int hits = 0;
        for (int i = 0; i < 200; i++) {
            hits += calls.cached("key-" + i) ? 1 : 0;
        }
        Map<String, Long> counts = countsBy(flushAndRead("cached"), "cache");
        assertEquals(Map.of("hit", (long) hits, "miss", 200L - hits), counts);
    }

    @Test
    void withoutAResolverTheValueIsTheResultsTextAndANullResultIsNull() {
        calls.echo("plain");
        calls.echo(null);
        calls.echo("with space, and=comma");
        assertEquals(Map.of("plain", 1L, "null", 1L, "with space, and=comma", 1L),
                countsBy(flushAndRead("echo"), "value"));
    }

    @Test
    void valuesOverTheCapAreOtherWithEveryCallCounted() {
        for (int i = 0; i < 300; i++) {
            calls.echo("capped-" + (i % 30));
        }
        Map<String, Long> counts = countsBy(flushAndRead("echo"), "value");
        long capped = counts.entrySet().stream().filter(e -> e.getKey().startsWith("capped-"))
                .mapToLong(Map.Entry::getValue).sum();
        long other = counts.getOrDefault("other", 0L);
        assertEquals(300, capped + other, counts::toString);
        RawMetrics.TagStats stats = tagStats("echo", "value");
        assertEquals(MAX_TAG_VALUES, stats.values());
        assertEquals(other, stats.folded());
        assertTrue(other >= 300 - 10L * MAX_TAG_VALUES, () -> "most of the 30 values over the cap of 20: " + counts);
    }

    @Test
    void aResolverThatThrowsOrReturnsNullGivesErrorCountedAndTheResultPassesThrough() {
        assertEquals("throw me", calls.fragile("throw me"));
        assertEquals("null please", calls.fragile("null please"));
        assertEquals("fine", calls.fragile("fine"));
        assertEquals(Map.of("error/ok", 2L, "fine/ok", 1L), countsBy(flushAndRead("fragile"), "status", "outcome"));
        assertEquals(2, tagStats("fragile", "status").resolverErrors());
    }

    @Test
    void theResolverIsNotPartOfTheTimeMeasuredAndThePointSaysWhenTheCallEnded() {
        long nanos = 20_000_000L;
        long before = Instant.now().toEpochMilli() * 1_000_000;
        long started = System.nanoTime();
        assertEquals("done", calls.slowResolver(nanos));
        long tookWithResolver = System.nanoTime() - started;
        long after = Instant.now().toEpochMilli() * 1_000_000 + 1_000_000;
        assertTrue(tookWithResolver >= nanos + 50_000_000L, "the resolver took its 50 ms on the caller's thread");

        List<Map<String, Object>> points = flushAndRead("slowResolver");
        assertEquals(1, points.size(), points::toString);
        Map<String, Object> point = points.get(0);
        assertEquals("slowly", point.get("speed"));
        double seconds = ((Number) point.get("application_time")).doubleValue();
        assertTrue(seconds >= 0.020 && seconds < 0.050, () -> "the call's 20 ms, not its resolver's 50: " + seconds);
        long time = ((Number) point.get("time")).longValue();
        assertTrue(time >= before + nanos && time <= after - 50_000_000L + 1_000_000,
                () -> "ended before its resolver ran: " + time + ", between " + before + " and " + after);
    }

    @Test
    void aResultTagSitsBesideArgumentTagsAndConstantTags() {
        for (String tenant : List.of("acme", "globex")) {
            for (int i = 0; i < 30; i++) {
                calls.placeFor(tenant, i % 3 == 0 ? "refuse" : "book");
            }
        }
        List<Map<String, Object>> points = flushAndRead("placeFor");
        assertEquals(Map.of("orders/acme/placed", 20L, "orders/acme/refused", 10L, "orders/globex/placed", 20L,
                "orders/globex/refused", 10L), countsBy(points, "team", "tenant", "status"));
    }

    @Test
    void aCompletableFutureTakesTheValueItCompletesWithOnTheThreadThatCompletesIt() throws Exception {
        CompletableFuture<Order> placed = new CompletableFuture<>();
        CompletableFuture<Order> refused = new CompletableFuture<>();
        CompletableFuture<Order> failed = new CompletableFuture<>();
        calls.placeLater(placed);
        calls.placeLater(refused);
        calls.placeLater(failed);
        long beforeCompletion = Instant.now().toEpochMilli() * 1_000_000;
        Thread completer = new Thread(() -> {
            placed.complete(new Order("a", Status.PLACED));
            refused.complete(new Order("b", Status.REFUSED));
            failed.completeExceptionally(new IllegalStateException("payment refused"));
        });
        completer.start();
        completer.join();

        List<Map<String, Object>> points = flushAndRead("placeLater");
        assertEquals(Map.of("error/error", 1L, "ok/placed", 1L, "ok/refused", 1L),
                countsBy(points, "outcome", "status"));
        for (Map<String, Object> point : points) {
            assertTrue(((Number) point.get("time")).longValue() >= beforeCompletion,
                    () -> "the point's time is its completion: " + point);
        }
    }

    @Test
    void aMonoTakesItsValueAnEmptyOneIsNullAFailedOneErrorAndACancelledOneCancelled() {
        assertEquals(Status.REFUSED, calls.placeReactive("refuse").block(Duration.ofSeconds(10)).status());
        assertEquals(Status.PLACED, calls.placeReactive("book").block(Duration.ofSeconds(10)).status());
        assertNull(calls.placeReactive("none").block(Duration.ofSeconds(10)));
        assertThrows(IllegalStateException.class, () -> calls.placeReactive("fail").block(Duration.ofSeconds(10)));
        calls.placeReactive("never").subscribe().dispose();

        assertEquals(Map.of("cancelled/cancelled", 1L, "error/error", 1L, "ok/null", 1L, "ok/placed", 1L,
                "ok/refused", 1L), countsBy(flushAndRead("placeReactive"), "outcome", "status"));
    }

    @Test
    void anRxJavaSingleTakesItsValue() {
        assertEquals(Status.PLACED, calls.placeSingle("book").blockingGet().status());
        assertEquals(Status.REFUSED, calls.placeSingle("refuse").blockingGet().status());
        assertEquals(Map.of("placed", 1L, "refused", 1L), countsBy(flushAndRead("placeSingle"), "status"));
    }

    @Test
    void aDeferredIsGivenToItsResolverOnceItFinished() throws Exception {
        ResultTaggedCalls.Response ok = calls.respond();
        ResultTaggedCalls.Response broken = calls.respond();
        ok.finish(204);
        CompletableFuture.runAsync(() -> broken.finish(503)).get(10, TimeUnit.SECONDS);
        assertEquals(Map.of("2xx", 1L, "5xx", 1L), countsBy(flushAndRead("respond"), "status"));
    }
}
