package io.rawmetrics.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.influxd.VictoriaMetricsProcess;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.InfluxDbLineSender;
import io.rawmetrics.internal.writer.Losses;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trace and span ids on points, against a real InfluxDB and real spans of the OpenTelemetry SDK
 * (the agent's own test is in integration-tests): a call made in a sampled span carries that span's
 * ids as fields, every call exactly, and nothing else changes.
 */
class TraceIdsIT {

    private static final HostIdentity HOST = new HostIdentity("web1", "web1:42");
    private static final TimedFunction HANDLE = TimedFunction.named("App.handle");
    private static InfluxdProcess influxd;
    private static final SdkTracerProvider SAMPLED = TestSpans.tracerProvider(Sampler.alwaysOn());
    private static final Tracer TRACER = SAMPLED.get("rawmetrics-test");

    @BeforeAll
    static void startInfluxd() {
        influxd = InfluxdProcess.startTemporary();
    }

    @AfterAll
    static void stopInfluxd() {
        influxd.close();
        SAMPLED.close();
    }

    private static RawMetricsConfig.Builder config(String database) {
        return RawMetricsConfig.builder().url(influxd.url().toString()).database(database);
    }

    private static Pipeline pipeline(RawMetricsConfig config) {
        return new Pipeline(config, new InfluxDbLineSender(config), HOST, Clock.SYSTEM);
    }

    /** A timed call as the woven advice makes it. */
    private static void call(CallRecorder recorder, TimedFunction site, long nanos) {
        recorder.entered();
        long start = System.nanoTime();
        recorder.record(site, start - nanos, start, null);
    }

    /** Runs {@code body} in a new span (a child of the current one, if any); returns the span's context. */
    private static SpanContext inSpan(Tracer tracer, Runnable body) {
        Span span = tracer.spanBuilder("request").startSpan();
        try (Scope scope = span.makeCurrent()) {
            body.run();
        } finally {
            span.end();
        }
        return span.getSpanContext();
    }

    @Test
    void aCallMadeInASampledSpanCarriesItsTraceAndSpanIdsAndOneOutsideCarriesNone() throws Exception {
        Pipeline pipeline = pipeline(config("inside").build());
        TimedFunction outside = TimedFunction.named("App.outside");
        TimedFunction child = TimedFunction.named("Db.query");
        SpanContext[] childSpan = new SpanContext[1];
        SpanContext request = inSpan(TRACER, () -> {
            call(pipeline, HANDLE, 1_000);
            childSpan[0] = inSpan(TRACER, () -> call(pipeline, child, 2_000));
        });
        call(pipeline, outside, 3_000);
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));

        assertEquals(Losses.NONE, pipeline.losses());
        try (PointsInInflux points = new PointsInInflux(influxd, "inside")) {
            Map<String, Map<String, Object>> byFunction = byFunction(points.select(
                    "SELECT \"function\", \"trace_id\", \"span_id\", \"application_time\" FROM \"raw-requests\""));
            assertEquals(Set.of("App.handle", "Db.query", "App.outside"), byFunction.keySet());
            assertEquals(request.getTraceId(), byFunction.get("App.handle").get("trace_id"));
            assertEquals(request.getSpanId(), byFunction.get("App.handle").get("span_id"));
            assertEquals(request.getTraceId(), byFunction.get("Db.query").get("trace_id"));
            assertEquals(childSpan[0].getSpanId(), byFunction.get("Db.query").get("span_id"));
            assertNull(byFunction.get("App.outside").get("trace_id"));
            assertNull(byFunction.get("App.outside").get("span_id"));
            // The ids are fields, not tags: no series of their own.
            assertEquals(3, points.select("SHOW SERIES FROM \"raw-requests\"").size());
            assertEquals(2e-6, (Double) byFunction.get("Db.query").get("application_time"), 1e-12);
        }
    }

    @Test
    void aSpanThatIsNotSampledGivesNoIdsItsTraceIsNeverExported() throws Exception {
        try (SdkTracerProvider unsampled = TestSpans.tracerProvider(Sampler.alwaysOff())) {
            Pipeline pipeline = pipeline(config("unsampled").build());
            inSpan(unsampled.get("rawmetrics-test"), () -> call(pipeline, HANDLE, 1_000));
            assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
        }
        try (PointsInInflux points = new PointsInInflux(influxd, "unsampled")) {
            List<Map<String, Object>> rows = points.select("SELECT * FROM \"raw-requests\"");
            assertEquals(1, rows.size());
            assertNull(rows.get(0).get("trace_id"), rows.toString());
        }
    }

    @Test
    void traceIdsSwitchedOffWritesNoIds() throws Exception {
        Pipeline pipeline = pipeline(config("off").traceIds(false).build());
        inSpan(TRACER, () -> call(pipeline, HANDLE, 1_000));
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
        try (PointsInInflux points = new PointsInInflux(influxd, "off")) {
            List<Map<String, Object>> rows = points.select("SELECT * FROM \"raw-requests\"");
            assertEquals(1, rows.size());
            assertNull(rows.get(0).get("trace_id"), rows.toString());
        }
    }

    @Test
    void aCallThatEndsOnAnotherThreadCarriesTheSpanItStartedIn() throws Exception {
        Pipeline pipeline = pipeline(config("later").build());
        long start = System.nanoTime();
        Object[] taken = new Object[1];
        boolean[] request = new boolean[1];
        SpanContext started = inSpan(TRACER, () -> {
            pipeline.entered();
            request[0] = pipeline.leftPending();
            taken[0] = pipeline.currentSpan();
        });
        Thread completer = new Thread(() -> inSpan(TRACER, // another span is current where it ends
                () -> pipeline.recordLater(HANDLE, start, System.nanoTime(), null, request[0], taken[0])));
        completer.start();
        completer.join();
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
        try (PointsInInflux points = new PointsInInflux(influxd, "later")) {
            List<Map<String, Object>> rows = points.select("SELECT * FROM \"raw-requests\"");
            assertEquals(1, rows.size());
            assertEquals(started.getTraceId(), rows.get(0).get("trace_id"));
            assertEquals(started.getSpanId(), rows.get(0).get("span_id"));
        }
    }

    /**
     * 4 threads, 20,000 requests each in a span of its own, with a nested call in a child span and
     * one outside any span: every point carries exactly the ids of the span it was made in, and
     * runs of calls of one function are not taken for one span.
     */
    @Test
    void everyPointOfManyThreadsCarriesTheIdsOfItsOwnSpanExactly() throws Exception {
        int threads = 4;
        int requests = 20_000;
        Pipeline pipeline = pipeline(config("many").bufferCapacity(500_000).build());
        TimedFunction query = TimedFunction.named("Db.query");
        TimedFunction untraced = TimedFunction.named("App.untraced");
        Map<String, String> traceOfSpan = new ConcurrentHashMap<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < requests; i++) {
                    SpanContext parent = inSpan(TRACER, () -> {
                        SpanContext childSpan = inSpan(TRACER, () -> call(pipeline, query, 500));
                        traceOfSpan.put(childSpan.getSpanId(), childSpan.getTraceId());
                        call(pipeline, HANDLE, 1_000);
                    });
                    traceOfSpan.put(parent.getSpanId(), parent.getTraceId());
                    call(pipeline, untraced, 100);
                }
            });
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join();
        }
        assertTrue(pipeline.shutdown(Duration.ofSeconds(60)));

        assertEquals(Losses.NONE, pipeline.losses());
        try (PointsInInflux points = new PointsInInflux(influxd, "many")) {
            Map<String, String> stored = new HashMap<>();
            Set<String> functionsOfSpans = new HashSet<>();
            // application_time too: InfluxDB leaves out a row whose selected fields are all null.
            for (Map<String, Object> row : points.select("SELECT \"function\", \"span_id\", \"trace_id\", \"application_time\""
                    + " FROM \"raw-requests\" WHERE \"function\" <> 'App.untraced'")) {
                String spanId = (String) row.get("span_id");
                assertTrue(spanId != null, "a point made in a span without its ids: " + row);
                assertTrue(stored.put(spanId, (String) row.get("trace_id")) == null, "span " + spanId + " on two points");
                functionsOfSpans.add((String) row.get("function"));
            }
            assertEquals(traceOfSpan, stored, "each point's span and trace, against the spans made");
            assertEquals(2L * threads * requests, stored.size());
            assertEquals(Set.of("App.handle", "Db.query"), functionsOfSpans);
            assertEquals(threads * requests, points.count("SELECT count(\"application_time\") FROM \"raw-requests\""
                    + " WHERE \"function\" = 'App.untraced'"));
            assertEquals(0, points.select("SELECT \"trace_id\" FROM \"raw-requests\" WHERE \"function\" = 'App.untraced'"
                    + " AND \"trace_id\" <> ''").size());
        }
    }

    /**
     * The aggregated mode: each interval's slowest call made in a span, per function and outcome,
     * is its exemplar (time and ids); a slower call outside any span is not, as nothing links to it.
     */
    @Test
    void theSlowestTracedCallOfAnIntervalIsItsExemplar() throws Exception {
        RawMetricsConfig config = config("exemplar").mode(Mode.AGGREGATED).aggregationInterval(Duration.ofHours(1)).build();
        Pipeline pipeline = pipeline(config);
        CallRecorder recorder = pipeline.recorder();
        TimedFunction untraced = TimedFunction.named("App.untraced");
        SpanContext slowest = null;
        for (int i = 1; i <= 50; i++) {
            long nanos = i == 17 ? 90_000_000 : 1_000_000 + i * 1_000;
            SpanContext span = inSpan(TRACER, () -> call(recorder, HANDLE, nanos));
            if (i == 17) {
                slowest = span;
            }
        }
        call(recorder, HANDLE, 200_000_000); // slower, but outside any span
        call(recorder, untraced, 5_000_000);
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
        try (PointsInInflux points = new PointsInInflux(influxd, "exemplar")) {
            Map<String, Map<String, Object>> byFunction = byFunction(points.select(
                    "SELECT \"function\", \"count\", \"max\", \"exemplar_time\", \"exemplar_trace_id\", \"exemplar_span_id\""
                            + " FROM \"function-metrics\" WHERE \"count\" > 0"));
            Map<String, Object> handle = byFunction.get("App.handle");
            assertEquals(51.0, handle.get("count"));
            assertEquals(0.2, (Double) handle.get("max"), 0.001);
            assertEquals(0.09, (Double) handle.get("exemplar_time"), 1e-9);
            assertEquals(slowest.getTraceId(), handle.get("exemplar_trace_id"));
            assertEquals(slowest.getSpanId(), handle.get("exemplar_span_id"));
            assertNull(byFunction.get("App.untraced").get("exemplar_trace_id"));
        }
    }

    /**
     * VictoriaMetrics stores numbers only: each string field becomes a metric of its own, of value
     * 0 (docs/deployment.md). The calls are all there; the ids say nothing, and with trace ids off
     * they are not sent.
     */
    @Test
    void victoriaMetricsStoresEveryCallAndTheIdsAsZerosUnlessTraceIdsAreOff() throws Exception {
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.startTemporary()) {
            for (boolean traceIds : new boolean[] {true, false}) {
                String database = "vm_" + traceIds;
                RawMetricsConfig config = RawMetricsConfig.builder().url(vm.url().toString()).database(database)
                        .createDatabase(false).traceIds(traceIds).build();
                Pipeline pipeline = pipeline(config);
                for (int i = 0; i < 100; i++) {
                    inSpan(TRACER, () -> call(pipeline, HANDLE, 1_000));
                }
                assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
                String ofDatabase = ",db=\"" + database + "\"}";
                assertEquals(100, vm.awaitCount("{__name__=\"raw-requests_application_time\"" + ofDatabase, 100,
                        Duration.ofSeconds(30)));
                Map<String, Integer> ids = traceIds
                        ? vm.awaitSamples("{__name__=\"raw-requests_trace_id\"" + ofDatabase, 1, Duration.ofSeconds(30))
                        : vm.samples("{__name__=\"raw-requests_trace_id\"" + ofDatabase);
                assertEquals(traceIds, !ids.isEmpty(), "trace_id as a metric: " + ids);
                if (traceIds) {
                    String zero = vm.query("max(max_over_time({__name__=\"raw-requests_trace_id\"" + ofDatabase + "[5m]))",
                            System.currentTimeMillis() / 1000 + 1);
                    assertTrue(zero.contains(",\"0\"]"), "a string field is stored as 0: " + zero);
                }
            }
        }
    }

    private static Map<String, Map<String, Object>> byFunction(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> byFunction = new HashMap<>();
        for (Map<String, Object> row : rows) {
            byFunction.put((String) row.get("function"), row);
        }
        return byFunction;
    }
}
