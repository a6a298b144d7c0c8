package io.rawmetrics.internal.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RawMetricsConfig.Mode;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Cancelled;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.lifecycle.StartingRecorder;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.writer.Losses;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The aggregated mode's recorder and interval points, with a transport that keeps the lines. */
class AggregatorTest {

    private static final HostIdentity HOST = new HostIdentity("h", "h:1");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern COUNT = Pattern.compile(" count=(\\d+)i");
    private static final Pattern REQUESTS = Pattern.compile(",requests=(\\d+)i");

    private final CollectingSender sender = new CollectingSender();
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    private CallRecorder start(RawMetricsConfig.Builder config) {
        pipeline = new Pipeline(config.createDatabase(false).build(), sender, HOST, Clock.SYSTEM);
        return pipeline.recorder();
    }

    /**
     * A call that lasted {@code nanos} and ends now, as the advice records it. (Ending {@code nanos}
     * from now, a call could fall after the interval a stop cuts at once: the first point then had
     * no request, in one fresh-clone CI run.)
     */
    private static void call(CallRecorder recorder, Object site, long nanos) {
        recorder.entered();
        long end = System.nanoTime();
        recorder.record(site, end - nanos, end, null);
    }

    private List<String> lines(String measurement) {
        return sender.lines().stream().filter(line -> line.startsWith(measurement + ",")).toList();
    }

    private long sum(String measurement, Pattern field) {
        long sum = 0;
        for (String line : lines(measurement)) {
            Matcher m = field.matcher(line);
            if (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    @Test
    void thePointsHaveTheWorkshopsShape() {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED));
        call(recorder, new TimedFunction(null, "com.example.Shop.checkout", Map.of("team", "shop")), 12_345_678);
        assertTrue(pipeline.shutdown(WAIT));

        List<String> lines = sender.lines();
        assertTrue(lines.get(0).startsWith("request-metrics,hostname=h,process=h:1 request_throughput="), lines.get(0));
        assertTrue(lines.get(0).contains(",requests=1i,application_time=0.012345678,capacity_utilization="), lines.get(0));
        assertTrue(lines.get(0).contains(",request_threads_maximum=1i,request_threads_started=1i,request_threads_active=1i "),
                lines.get(0));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(
                "request-metrics,hostname=h,process=h:1,time_bucket=0.01 application_time_bucket=1i ")));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("request-metrics,hostname=h,process=h:1,thread_id=1 request_threads_bucket=1i ")));
        String function = lines.stream().filter(line -> line.contains(" count=")).findFirst().orElseThrow();
        assertTrue(function.startsWith("function-metrics,function=com.example.Shop.checkout,hostname=h,outcome=ok,process=h:1,team=shop"
                + " count=1i,throughput="), function);
        assertTrue(function.contains(",mean=0.012345678,min=0.0123"), function);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(
                "function-metrics,function=com.example.Shop.checkout,hostname=h,outcome=ok,process=h:1,team=shop,time_bucket=0.01 application_time_bucket=1i ")));
    }

    @Test
    void anAggregatedCallIsNeverDroppedHoweverSmallTheBuffer() {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED).bufferCapacity(1).batchSize(1));
        TimedFunction site = TimedFunction.named("Hot.get");
        for (int i = 0; i < 1_000_000; i++) {
            call(recorder, site, 100);
        }
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(1_000_000, pipeline.aggregatedCalls());
        assertEquals(1_000_000, pipeline.aggregatedDelivered());
        assertEquals(0, pipeline.dropped());
        assertEquals(1_000_000, sum("function-metrics", COUNT));
        assertEquals(1_000_000, sum("request-metrics", REQUESTS));
        assertEquals(List.of(), lines("raw-requests"));
    }

    @Test
    void functionModesWriteSomeFunctionsRawAndAggregateOthers() {
        CallRecorder recorder = start(RawMetricsConfig.builder()
                .functionModes(Map.of("Hot.*", Mode.AGGREGATED, "Both.f", Mode.BOTH)));
        for (int i = 0; i < 100; i++) {
            call(recorder, TimedFunction.named("Hot.get"), 100);
            call(recorder, TimedFunction.named("Cold.put"), 100);
            call(recorder, TimedFunction.named("Both.f"), 100);
        }
        assertTrue(pipeline.shutdown(WAIT));

        List<String> raw = lines("raw-requests");
        assertEquals(200, raw.size());
        assertEquals(100, raw.stream().filter(line -> line.contains("function=Cold.put")).count());
        assertEquals(100, raw.stream().filter(line -> line.contains("function=Both.f")).count());
        List<String> summaries = lines("function-metrics").stream().filter(line -> line.contains(" count=")).toList();
        assertEquals(2, summaries.size(), summaries.toString());
        assertTrue(summaries.stream().anyMatch(line -> line.contains("function=Hot.get") && line.contains(" count=100i")));
        assertTrue(summaries.stream().anyMatch(line -> line.contains("function=Both.f") && line.contains(" count=100i")));
        // Every outermost call is a request, whatever its mode.
        assertEquals(300, sum("request-metrics", REQUESTS));
    }

    @Test
    void aRequestIsTheOutermostCallAndAPendingOneCountsWhereItStarted() throws Exception {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED));
        TimedFunction handler = TimedFunction.named("App.handle");
        TimedFunction inner = TimedFunction.named("App.inner");
        // A request returning a CompletionStage: its synchronous part ends, it completes on another thread.
        recorder.entered();
        long start = System.nanoTime();
        call(recorder, inner, 100); // nested: not a request
        boolean request = recorder.leftPending();
        assertTrue(request);
        call(recorder, inner, 100); // the thread is free again: a request of its own
        Thread completer = new Thread(() -> recorder.recordLater(handler, start, start + 1_000, null, request, null));
        completer.start();
        completer.join();
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(2, sum("request-metrics", REQUESTS));
        assertEquals(3, sum("function-metrics", COUNT));
    }

    /**
     * A lazy result cancelled by its subscriber on another thread: one call, counted as a request
     * where it started, in a series of its own with outcome cancelled; raw, its point says the same.
     */
    @Test
    void aCancelledLazyResultIsACallOfItsOwnOutcomeInBothModes() throws Exception {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.BOTH));
        TimedFunction handler = TimedFunction.named("App.stream");
        recorder.entered();
        long start = System.nanoTime();
        boolean request = recorder.leftPending();
        Thread canceller = new Thread(() -> recorder.recordLater(handler, start, start + 2_000, Cancelled.class, request, null));
        canceller.start();
        canceller.join();
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(1, sum("request-metrics", REQUESTS));
        List<String> cancelled = lines("function-metrics").stream()
                .filter(line -> line.contains("outcome=cancelled") && line.contains(" count=")).toList();
        assertEquals(1, cancelled.size(), lines("function-metrics").toString());
        assertTrue(cancelled.get(0).contains(" count=1i"), cancelled.get(0));
        List<String> raw = lines("raw-requests");
        assertEquals(1, raw.size());
        assertTrue(raw.get(0).contains(",outcome=cancelled,") && !raw.get(0).contains("exception="), raw.get(0));
    }

    @Test
    void eachIntervalHasTheSameNumberOfPointsWhateverTheCallRate() throws Exception {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED)
                .aggregationInterval(Duration.ofMillis(100)));
        List<TimedFunction> functions = List.of(TimedFunction.named("A.a"), TimedFunction.named("A.b"), TimedFunction.named("A.c"));
        long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
        while (System.nanoTime() < until) {
            for (TimedFunction function : functions) {
                call(recorder, function, 1000);
            }
        }
        assertTrue(pipeline.shutdown(WAIT));

        // Per interval: 1 + 16 buckets + 1 thread point, and per function 1 + 16 buckets.
        Map<String, Long> pointsPerTime = new java.util.TreeMap<>();
        for (String line : sender.lines()) {
            pointsPerTime.merge(line.substring(line.lastIndexOf(' ') + 1), 1L, Long::sum);
        }
        assertTrue(pointsPerTime.size() >= 4, pointsPerTime.toString());
        // All but the first and the last, partial, intervals: the loop may start after the first one
        // ended, and the stop may come right after an interval's end, before any call.
        for (long points : List.copyOf(pointsPerTime.values()).subList(1, pointsPerTime.size() - 1)) {
            assertEquals(1 + 16 + 1 + 3 * 17, points, pointsPerTime.toString());
        }
    }

    @Test
    void anOutageDelaysTheIntervalsPointsAndLosesNoCall() {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED)
                .aggregationInterval(Duration.ofMillis(20)));
        callThroughAnOutage(recorder, 20_000);
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(20_000, sum("function-metrics", COUNT));
        assertEquals(20_000, pipeline.aggregatedDelivered());
        assertEquals(Losses.NONE, pipeline.losses());
    }

    /**
     * Mode both through an outage longer than the buffer: the raw points keep their place in the
     * buffer, as the raw mode promises, and later ones are dropped and counted; every call is still
     * counted in the aggregates, exactly.
     */
    @Test
    void anOutageInModeBothKeepsTheRawPointsTheBufferHoldsAndCountsEveryCall() {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.BOTH).bufferCapacity(2_000).batchSize(500)
                .aggregationInterval(Duration.ofMillis(20)));
        callThroughAnOutage(recorder, 20_000);
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(20_000, sum("function-metrics", COUNT));
        assertEquals(20_000, sum("request-metrics", REQUESTS));
        assertEquals(20_000, pipeline.aggregatedDelivered());
        long raw = lines("raw-requests").size();
        // The buffer holds 1,995 calls (285 chunks of 7), those of the batch in flight included.
        assertTrue(raw >= 1_900 && raw <= 2_000, raw + " raw points: the buffer's worth");
        assertEquals(20_000, raw + pipeline.losses().bufferFull());
        assertEquals(pipeline.losses().bufferFull(), pipeline.losses().total());
    }

    /**
     * Calls made by several threads while the recorder starts wait in a StartingRecorder, then are
     * handed over by one thread: each is still counted in the 50 ms interval in which it ended.
     */
    @Test
    void callsMadeWhileTheRecorderStartedAreCountedInTheIntervalsTheyEndedIn() throws Exception {
        long interval = Duration.ofMillis(50).toNanos();
        long wallMinusMonotonic = Instant.now().toEpochMilli() * 1_000_000L - System.nanoTime();
        StartingRecorder starting = new StartingRecorder();
        TimedFunction site = TimedFunction.named("A.f");
        Map<Long, Long> expected = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                for (long now = System.nanoTime(); now < until; now = System.nanoTime()) {
                    long inInterval = Math.floorMod(now + wallMinusMonotonic, interval);
                    if (inInterval < 2_000_000 || inInterval > interval - 2_000_000) {
                        continue; // the test's clock offset is read to the millisecond: no call near a boundary
                    }
                    starting.entered();
                    starting.record(site, now - 1_000, now, null);
                    expected.merge(Math.floorDiv(now + wallMinusMonotonic, interval) * interval + interval, 1L, Long::sum);
                    LockSupport.parkNanos(100_000);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        pipeline = new Pipeline(RawMetricsConfig.builder().mode(Mode.AGGREGATED).aggregationInterval(Duration.ofMillis(50))
                .createDatabase(false).build(), sender, HOST, Clock.SYSTEM, starting.createdNanos());
        starting.handOver(pipeline.recorder());
        pipeline.handedOver();
        assertTrue(pipeline.shutdown(WAIT));

        Map<Long, Long> counted = new java.util.TreeMap<>();
        for (String line : lines("function-metrics")) {
            Matcher m = COUNT.matcher(line);
            if (m.find()) {
                long time = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
                // Interval ends are whole multiples of 50 ms but for the first one and the stop's.
                counted.merge(Math.floorDiv(time - 1, interval) * interval + interval, Long.parseLong(m.group(1)), Long::sum);
            }
        }
        assertEquals(new java.util.TreeMap<>(expected), counted);
    }

    /**
     * Issue 37: under continuous load, calls made inside a call that was under way when the
     * recorder took over from the start's were counted as requests (150,010 requests for 149,999
     * outermost calls). Each thread's first buffer now counts the calls it still has under way.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"AGGREGATED", "BOTH"})
    void aCallNestedInOneUnderWayAtTheStartsHandOverIsNotARequest(Mode mode) throws Exception {
        StartingRecorder starting = new StartingRecorder();
        TimedFunction handle = TimedFunction.named("App.handle");
        TimedFunction nested = TimedFunction.named("App.nested");
        starting.entered(); // a request starts while recording starts
        long start = System.nanoTime();
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch handedOver = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            starting.entered(); // and another, on a thread whose only call after the hand-over is its end
            long s = System.nanoTime();
            entered.countDown();
            try {
                handedOver.await();
            } catch (InterruptedException e) {
                return;
            }
            starting.record(handle, s, System.nanoTime(), null);
        });
        other.start();
        assertTrue(entered.await(20, java.util.concurrent.TimeUnit.SECONDS));
        pipeline = new Pipeline(RawMetricsConfig.builder().mode(mode).createDatabase(false).build(), sender, HOST,
                Clock.SYSTEM, starting.createdNanos(), stopped -> { });
        pipeline.inheritCallsUnderWay(starting::bequeath);
        CallRecorder recorder = pipeline.recorder();
        starting.handOver(recorder);
        pipeline.handedOver();

        call(recorder, nested, 100); // made inside the request, now on the new recorder
        call(recorder, nested, 100);
        long end = System.nanoTime();
        recorder.record(handle, start, end, null); // the request ends on the new recorder, current by then
        call(recorder, handle, 100); // the thread's next request
        handedOver.countDown();
        other.join();
        assertTrue(pipeline.shutdown(WAIT));

        assertEquals(3, sum("request-metrics", REQUESTS));
        assertEquals(5, sum("function-metrics", COUNT));
    }

    @Test
    void callsEndingAfterTheLastIntervalAreReportedAsLost() {
        CallRecorder recorder = start(RawMetricsConfig.builder().mode(Mode.AGGREGATED));
        TimedFunction site = TimedFunction.named("A.f");
        call(recorder, site, 100);
        assertTrue(pipeline.shutdown(WAIT));
        call(recorder, site, 100); // still holding the stopped recorder
        call(recorder, site, 100);

        // Stored, never read: the writer has ended, so nobody knows they are aggregated calls.
        assertEquals(2, pipeline.losses().unsent());
        assertEquals(2, pipeline.losses().total());
        assertTrue(pipeline.losses().describe(-1, "", "x", 1, Duration.ZERO).contains("2 made after the recorder had stopped"));
    }

    /** {@code calls} calls of one function, half of them made once writes have failed a few times; then the server is back. */
    private void callThroughAnOutage(CallRecorder recorder, int calls) {
        TimedFunction site = TimedFunction.named("A.f");
        sender.failWith(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null));
        for (int i = 0; i < calls / 2; i++) {
            call(recorder, site, 100);
        }
        awaitTrue("a failed write", () -> pipeline.failedWrites() >= 3);
        for (int i = calls / 2; i < calls; i++) {
            call(recorder, site, 100);
        }
        sender.failWith(null);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos()); // poll again, until the deadline
        }
    }
}
