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
import io.rawmetrics.it.fixtures.PlainService;
import io.rawmetrics.it.fixtures.TaggedCalls;
import io.rawmetrics.it.fixtures.TaggedTimedClass;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Tag} parameters woven by ajc as in a user's build, called for real, every point read back
 * from a real influxd: values, counts per value, the cardinality guard, hostile values, resolvers,
 * and the time each point says its call took.
 */
class TagsIT {

    private static final String DB = "tags_it";
    private static final String FIXTURES = "io.rawmetrics.it.fixtures.TaggedCalls.";
    private static final int MAX_TAG_VALUES = 50;
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;
    private static final List<String> warnings = new ArrayList<>();
    /** Held, so that java.util.logging keeps the logger, and its handler, for the whole class. */
    private static final Logger LIBRARY_LOGGER = Logger.getLogger("io.rawmetrics");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final TaggedCalls calls = new TaggedCalls();

    @BeforeAll
    static void startInfluxdAndRecorder() {
        LIBRARY_LOGGER.addHandler(CAPTURE);
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
        LIBRARY_LOGGER.removeHandler(CAPTURE);
    }

    private List<Map<String, Object>> flushAndRead(String function) {
        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT), "flush completed");
        return influx.pointsOf("raw-requests", FIXTURES + function);
    }

    /** Points per value of {@code tag}; a point without the tag counts under "". */
    private static Map<String, Long> countsBy(String tag, List<Map<String, Object>> points) {
        return TaggedPoints.countsBy(points, tag);
    }

    private static RawMetrics.TagStats tagStats(String function, String tag) {
        return TaggedPoints.tagStats(FIXTURES + function, tag);
    }

    @Test
    void tenThousandCallsOverFiveTenantsAreFiveSeriesWithExactCounts() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 2_500; i++) {
                    String tenant = "tenant-" + ((thread * 2_500 + i) % 5);
                    assertEquals("served " + tenant, calls.perTenant(tenant));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();

        List<Map<String, Object>> points = flushAndRead("perTenant");
        assertEquals(Map.of("tenant-0", 2_000L, "tenant-1", 2_000L, "tenant-2", 2_000L, "tenant-3", 2_000L,
                "tenant-4", 2_000L), countsBy("tenant", points));
        List<Map<String, Object>> series = influx.select(
                "SHOW SERIES FROM \"raw-requests\" WHERE \"function\" = '" + FIXTURES + "perTenant'");
        assertEquals(5, series.size(), () -> "one series per tenant: " + series);
        assertEquals(new RawMetrics.TagStats(FIXTURES + "perTenant", "tenant", 5, 0, 0, 0),
                tagStats("perTenant", "tenant"));
    }

    @Test
    void aThousandValuesOverTheCapAreFiftySeriesAndOtherWithEveryCallCounted() {
        int before = warningsAbout("tag 'value' of " + FIXTURES + "value has taken");
        for (int i = 0; i < 5_000; i++) {
            calls.value("v" + (i % 1_000));
        }

        Map<String, Long> counts = countsBy("value", flushAndRead("value"));
        assertEquals(MAX_TAG_VALUES + 1, counts.size(), () -> "50 values and other: " + counts.keySet());
        assertEquals(5_000L, counts.values().stream().mapToLong(Long::longValue).sum());
        for (int i = 0; i < MAX_TAG_VALUES; i++) {
            assertEquals(5L, counts.get("v" + i), "the first 50 values keep their series: v" + i);
        }
        assertEquals(5_000L - 5 * MAX_TAG_VALUES, counts.get("other"));
        RawMetrics.TagStats stats = tagStats("value", "value");
        assertEquals(MAX_TAG_VALUES, stats.values());
        assertEquals(5_000L - 5 * MAX_TAG_VALUES, stats.folded());
        assertEquals(1, warningsAbout("tag 'value' of " + FIXTURES + "value has taken") - before, () -> "one warning: "
                + warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("has taken 50 distinct values")
                && w.contains("rawmetrics.max-tag-values")), () -> "names the cap: " + warnings);
    }

    @Test
    void hostileValuesReadBackExactlyOrAsDocumented() {
        String tenThousand = "x".repeat(9_990) + "0123456789";
        Map<String, String> expected = new java.util.LinkedHashMap<>(); // argument -> value read back
        for (String same : List.of("with space", "a,b", "k=v", "\"quoted\"", "it's", "back\\slash", "tab\there",
                "Grüße 東京 🚀", "trailing space ", " leading", "#hash", "x\\y\\z")) {
            expected.put(same, same);
        }
        expected.put("line\nbreak", "line\\nbreak"); // a line feed is written as the two characters \n
        expected.put("cr\rlf\r\n", "cr\\rlf\\r\\n");
        expected.put("ends with \\", "ends with /"); // a backslash InfluxDB would read as an escape
        expected.put("a\\,b", "a/,b");
        expected.put("a\\ b", "a/ b");
        expected.put("a\\=b", "a/=b");
        expected.put(tenThousand, "x".repeat(256)); // cut to rawmetrics.max-tag-value-length
        String emoji = "y".repeat(255) + "🚀"; // a cut never splits a surrogate pair
        expected.put(emoji, "y".repeat(255));

        for (String argument : expected.keySet()) {
            assertEquals(argument.length(), calls.slowAndHostile(argument));
        }

        Map<String, Long> counts = countsBy("value", flushAndRead("slowAndHostile"));
        Map<String, Long> wanted = new TreeMap<>();
        expected.values().forEach(v -> wanted.merge(v, 1L, Long::sum));
        assertEquals(wanted, counts);
        assertEquals(2, tagStats("slowAndHostile", "value").cut(), "two calls cut");
    }

    @Test
    void aNullArgumentIsTheValueNullAndAnEmptyOneLeavesTheTagOut() {
        calls.tenant(null);
        calls.tenant("");
        calls.tenant("");

        List<Map<String, Object>> points = flushAndRead("tenant");
        assertEquals(1, points.stream().filter(p -> "null".equals(p.get("tenant"))).count());
        // InfluxDB reads a missing tag as the empty value: WHERE tenant = '' finds both.
        assertEquals(2, influx.count("SELECT count(application_time) FROM \"raw-requests\" WHERE \"function\" = '"
                + FIXTURES + "tenant' AND \"tenant\" = ''"));
    }

    @Test
    void aResolverMakesTheValueAndItsFailuresAreErrorNeverTheCallers() {
        assertEquals("1 Rue de Rivoli", calls.region(new TaggedCalls.Address("1 Rue de Rivoli", "FR")));
        assertEquals("Unter den Linden", calls.region(new TaggedCalls.Address("Unter den Linden", "DE")));
        assertEquals("throw it", calls.fragile("throw it"));
        assertEquals("null please", calls.fragile("null please"));
        assertEquals("ok", calls.fragile("ok"));
        assertEquals(null, calls.region(null)); // a null argument never reaches the resolver

        assertEquals(Map.of("FR", 1L, "DE", 1L, "null", 1L), countsBy("region", flushAndRead("region")));
        assertEquals(Map.of("error", 2L, "OK", 1L), countsBy("region", flushAndRead("fragile")));
        assertEquals(2, tagStats("fragile", "region").resolverErrors());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("tag 'region' of " + FIXTURES + "fragile")
                && w.contains("no region in 'throw it'")), () -> "the failure said once: " + warnings);
    }

    @Test
    void severalTagsFromAnyPositionAndTypeWithTheMethodsConstantTags() {
        assertEquals(3_007L, calls.two(7, 3, "x", "gold"));
        assertEquals(4_000L, calls.two(0, 4, null, "silver"));

        List<Map<String, Object>> points = flushAndRead("two");
        assertEquals(2, points.size());
        assertEquals(Map.of("3", 1L, "4", 1L), countsBy("shard", points));
        assertEquals(Map.of("gold", 1L, "silver", 1L), countsBy("tier", points));
        assertEquals("gold", points.stream().filter(p -> "3".equals(p.get("shard"))).findFirst().orElseThrow().get("tier"));
    }

    @Test
    void eachPointSaysWhenItsCallEndedAndHowLongItTookByTheTestsClock() {
        long nanos = 20_000_000;
        long before = Instant.now().toEpochMilli() * 1_000_000;
        long started = System.nanoTime();
        calls.slow("acme", nanos);
        long took = System.nanoTime() - started;
        long after = Instant.now().toEpochMilli() * 1_000_000 + 1_000_000;

        Map<String, Object> point = only(flushAndRead("slow"));
        assertEquals("acme", point.get("tenant"));
        assertEquals("checkout", point.get("team"), "the constant tag too");
        double seconds = ((Number) point.get("application_time")).doubleValue();
        assertTrue(seconds >= nanos / 1e9 && seconds <= took / 1e9, () -> seconds + " s, the call took " + took + " ns");
        long time = ((Number) point.get("time")).longValue();
        assertTrue(time >= before + nanos && time <= after, () -> "ended at " + time + ", between " + before + " and " + after);
    }

    @Test
    void failuresFuturesNestedCallsAndPointcutsAreTaggedToo() throws Exception {
        IOException thrown = assertThrows(IOException.class, () -> calls.throwing("acme"));
        assertEquals("refused for acme", thrown.getMessage());
        CompletableFuture<String> done = new CompletableFuture<>();
        CompletableFuture<String> returned = calls.later("later-tenant", done);
        assertSame(done, returned);
        assertEquals("served a-inner", calls.outer("a"));
        assertEquals("handled ann", new PlainService().handleFor("ann"));
        assertEquals("bob", calls.untimed("bob"));
        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT));
        assertFalse(flushAndRead("later").stream().anyMatch(p -> true), "not written before the future completes");
        done.complete("done");

        Map<String, Object> failed = only(flushAndRead("throwing"));
        assertEquals("acme", failed.get("tenant"));
        assertEquals("error", failed.get("outcome"));
        assertEquals("java.io.IOException", failed.get("exception"));
        assertEquals("later-tenant", only(flushAndRead("later")).get("tenant"));
        assertEquals("a", only(flushAndRead("outer")).get("tenant"));
        assertTrue(flushAndRead("tenant").stream().anyMatch(p -> "a-inner".equals(p.get("tenant"))));
        assertEquals("ann", only(influx.pointsOf("raw-requests", "io.rawmetrics.it.fixtures.PlainService.handleFor"))
                .get("user"));
        assertEquals(List.of(), flushAndRead("untimed"));
    }

    @Test
    void aClassesFunctionCallTagsItsPublicMethodsByTheirParametersAndItsConstantTags() {
        assertEquals("served eu", new TaggedTimedClass().byRegion("eu"));

        assertTrue(RawMetrics.flush(FLUSH_TIMEOUT));
        Map<String, Object> point = only(influx.pointsOf("raw-requests",
                "io.rawmetrics.it.fixtures.TaggedTimedClass.byRegion"));
        assertEquals("eu", point.get("region"));
        assertEquals("service", point.get("layer"));
    }

    @Test
    void aMonosPointIsTaggedAndLastsUntilItCompletes() {
        assertEquals("reactive", calls.monoFor("reactive", Duration.ofMillis(30)).block());

        Map<String, Object> point = only(flushAndRead("monoFor"));
        assertEquals("reactive", point.get("tenant"));
        assertTrue(((Number) point.get("application_time")).doubleValue() >= 0.030, point::toString);
    }

    private static Map<String, Object> only(List<Map<String, Object>> points) {
        assertEquals(1, points.size(), () -> "exactly one point: " + points);
        return points.get(0);
    }

    private static int warningsAbout(String text) {
        synchronized (warnings) {
            return (int) warnings.stream().filter(w -> w.contains(text)).count();
        }
    }
}
