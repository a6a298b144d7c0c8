package io.rawmetrics.internal.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.StandardError;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.buffer.FirstCalls;
import io.rawmetrics.internal.delivery.DeferredSender;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.tags.TagGuards;
import io.rawmetrics.internal.tags.TaggedMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final HostIdentity HOST = new HostIdentity("h", "h:1");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** No interval flush while a test records: its calls go out in one batch, at its flush(). */
    private static final Duration ONE_BATCH_ONLY = Duration.ofHours(1);

    private final CollectingSender sender = new CollectingSender();
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    private Pipeline start(RawMetricsConfig.Builder config, LineSender to) {
        pipeline = new Pipeline(config.createDatabase(false).build(), to, HOST, Clock.SYSTEM);
        return pipeline;
    }

    private static void record(Pipeline p, TimedFunction site, int calls) {
        TestCalls.record(p, site, calls);
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

    /**
     * The HTTP client is made by the writer when it first writes: a server whose host name does not
     * resolve yet (a container started before its InfluxDB's DNS name exists) is an outage, retried
     * while the calls wait, and not a reason to stop recording for the life of the process.
     */
    @Test
    void aSenderThatCannotBeMadeYetIsRetriedWhileTheCallsWait() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        LineSender deferred = new DeferredSender(() -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalArgumentException(new java.net.UnknownHostException("influx.example: Name or service not known"));
            }
            return sender;
        });
        try (LogCapture log = new LogCapture()) {
            Pipeline p = new Pipeline(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY).build(), deferred, HOST,
                    Clock.SYSTEM);
            pipeline = p;
            record(p, TimedFunction.named("A.f"), 100);

            assertTrue(p.flush(WAIT));
            assertEquals(100, sender.lines().size());
            assertEquals(0, p.dropped());
            assertEquals(3, attempts.get());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("java.net.UnknownHostException: influx.example")),
                    log.messages().toString());
        }
    }

    @Test
    void flushWritesEveryCallRecordedBeforeIt() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(Duration.ofHours(1)), sender);
        record(p, TimedFunction.named("A.f"), 1000);

        assertTrue(p.flush(WAIT));
        assertEquals(1000, sender.lines().size());
        assertEquals(1000, p.delivered());
        assertEquals(0, p.dropped());
    }

    @Test
    void manyThreadsLoseAndDuplicateNothing() throws Exception {
        Pipeline p = start(RawMetricsConfig.builder().batchSize(500).bufferCapacity(1_000_000), sender);
        int threads = 8;
        int calls = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TimedFunction site = TimedFunction.named("A.thread" + t);
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                record(p, site, calls);
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertTrue(p.flush(WAIT));
        List<String> lines = sender.lines();
        assertEquals(threads * calls, lines.size());
        assertEquals(threads * calls, new HashSet<>(lines).size(), "no line written twice");
        for (int t = 0; t < threads; t++) {
            String function = "function=A.thread" + t + ",";
            assertEquals(calls, lines.stream().filter(l -> l.contains(function)).count(), function);
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheFlushInterval() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(Duration.ofHours(1)).batchSize(256), sender);
        record(p, TimedFunction.named("A.f"), 10_000);

        awaitTrue("a batch written before the hour-long interval", () -> p.delivered() >= 256);
    }

    @Test
    void theFlushIntervalWritesWithoutAFlushCall() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(Duration.ofMillis(20)), sender);
        record(p, TimedFunction.named("A.f"), 3);

        awaitTrue("3 points written by the interval", () -> p.delivered() == 3);
    }

    @Test
    void whenTheBufferIsFullNewCallsAreDroppedAndCountedAndTheRestDelivered() {
        sender.failWith(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null));
        Pipeline p = start(RawMetricsConfig.builder().bufferCapacity(1000).batchSize(100), sender);
        record(p, TimedFunction.named("A.f"), 5000);
        assertFalse(p.flush(Duration.ofMillis(50)), "cannot flush while the server is down");

        sender.failWith(null);
        assertTrue(p.flush(WAIT));
        assertEquals(5000, p.delivered() + p.dropped(), "every call delivered or counted as dropped");
        assertTrue(p.delivered() >= 900 && p.delivered() <= 1000, "kept up to the capacity, in flight included: " + p.delivered());
        assertEquals(p.delivered(), sender.lines().size());
    }

    @Test
    void aRetryableFailureIsRetriedUntilTheServerAccepts() {
        sender.failWith(new LineSender.WriteException("HTTP 503", LineSender.Failure.UNAVAILABLE, null));
        Pipeline p = start(RawMetricsConfig.builder(), sender);
        record(p, TimedFunction.named("A.f"), 10);
        awaitTrue("a few attempts", () -> sender.sends() >= 3);

        sender.failWith(null);
        assertTrue(p.flush(WAIT));
        assertEquals(10, sender.lines().size());
        assertEquals(0, p.dropped());
    }

    @Test
    void recordedIsDeliveredPlusDroppedPlusBufferedThroughAnOutage() {
        sender.failWith(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null));
        Pipeline p = start(RawMetricsConfig.builder().bufferCapacity(1000).batchSize(100), sender);
        record(p, TimedFunction.named("A.f"), 3000);
        awaitTrue("a failed write", () -> p.failedWrites() >= 1);

        assertEquals(3000, p.recorded());
        assertEquals(0, p.delivered());
        long bufferedDuringOutage = p.recorded() - p.delivered() - p.dropped();
        assertTrue(bufferedDuringOutage > 0 && bufferedDuringOutage <= 1000, "kept, within the capacity: " + bufferedDuringOutage);

        sender.failWith(null);
        assertTrue(p.flush(WAIT));
        assertEquals(3000, p.delivered() + p.dropped(), "nothing left buffered");
        assertEquals(bufferedDuringOutage, p.delivered());
        assertTrue(p.retries() >= 1 && p.failedWrites() >= p.retries(), p.retries() + " retries, " + p.failedWrites() + " failed");
    }

    @Test
    void withSelfMetricsTheCountersAreWrittenAfterEachFlush() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY).selfMetrics(true), sender);
        record(p, TimedFunction.named("A.f"), 3);
        assertTrue(p.flush(WAIT));

        // One point per writer cycle: the first cycle, at start, may already have written zeros.
        List<String> own = sender.lines().stream().filter(l -> l.startsWith("rawmetrics,")).toList();
        String last = own.get(own.size() - 1);
        assertTrue(last.startsWith("rawmetrics,hostname=h,process=h:1 recorded=3i,delivered=3i,dropped=0i,"
                + "buffered=0i,failed_writes=0i,retries=0i "), sender.lines().toString());
        assertEquals(3, p.delivered(), "the library's own point is not counted as a timed call");
    }

    @Test
    void withSelfMetricsEachTagOfEachFunctionIsAPointOfItsGuardsCounts() {
        TagGuards.limit(2, 256);
        try {
            TaggedMethod method = TaggedMethod.of(TimedFunction.named("A.tagged"), new int[] {0},
                    new String[] {"tenant"}, new TagResolver<?>[] {null});
            Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY).selfMetrics(true), sender);
            for (String tenant : new String[] {"acme", "globex", "initech", "hooli"}) {
                record(p, (TimedFunction) method.site(new Object[] {tenant}), 1);
            }
            assertTrue(p.flush(WAIT));

            List<String> own = sender.lines().stream().filter(l -> l.startsWith("rawmetrics-tags,function=A.tagged,")).toList();
            String guard = "rawmetrics-tags,function=A.tagged,hostname=h,process=h:1,tag=tenant values=2i,folded=2i,cut=0i,resolver_errors=0i";
            assertTrue(own.get(own.size() - 1).startsWith(guard + " "), sender.lines().toString());
            assertEquals(List.of("acme", "globex", "other", "other"), sender.lines().stream()
                    .filter(l -> l.startsWith("raw-requests,function=A.tagged,"))
                    .map(l -> l.replaceAll(".*tenant=([a-z]+).*", "$1")).toList());
        } finally {
            TagGuards.limit(100, 256);
        }
    }

    /** Under load the writer makes a pass per batch; its own point is still written once per flush interval. */
    @Test
    void selfMetricsAreWrittenOncePerFlushIntervalHoweverManyPassesTheWriterMakes() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY).batchSize(256).selfMetrics(true), sender);
        for (int round = 0; round < 20; round++) {
            record(p, TimedFunction.named("A.f"), 1024);
            // A call of this round written means a pass in this round (the last calls of a round
            // may wait for the next round's wake-up).
            long before = 1024L * round;
            awaitTrue("a pass in round " + round, () -> p.delivered() > before);
        }
        assertTrue(p.flush(WAIT));

        // The first pass writes one, the flush another: none for the passes in between.
        long own = sender.lines().stream().filter(l -> l.startsWith("rawmetrics,")).count();
        assertTrue(own <= 2, own + " points of the library's own counters among " + sender.lines().size() + " lines");
    }

    @Test
    void aRefusedRequestIsDroppedAndCountedNotRetried() throws Exception {
        LineSender refusing = mock(LineSender.class);
        doThrow(new LineSender.WriteException("HTTP 401: authorization failed", LineSender.Failure.REFUSED, null))
                .when(refusing).send(any(), anyInt(), anyInt());
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), refusing);
        record(p, TimedFunction.named("A.f"), 7);

        assertTrue(p.flush(WAIT));
        verify(refusing, times(1)).send(any(), anyInt(), anyInt());
        assertEquals(7, p.dropped());
        assertEquals(7, p.losses().refused());
    }

    @Test
    void aPartialWriteDeliversEveryOtherPointAndDropsOnlyTheRefusedOnes() {
        sender.refuseLinesContaining("function=A.poisoned");
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), sender);
        try (LogCapture log = new LogCapture()) {
            record(p, TimedFunction.named("A.f"), 10);
            record(p, TimedFunction.named("A.poisoned"), 3);
            record(p, TimedFunction.named("A.g"), 10);
            assertTrue(p.flush(WAIT));

            assertEquals(20, p.delivered());
            assertEquals(3, p.dropped());
            assertEquals(20, new HashSet<>(sender.lines()).size());
            List<String> refusals = log.messages().stream().filter(m -> m.contains("refused a point of A.poisoned")).toList();
            assertEquals(1, refusals.size(), "logged once, naming the function: " + log.messages());
            assertTrue(refusals.get(0).contains("field type conflict"), refusals.get(0));
        }
    }

    @Test
    void aBatchTooLargeForTheServerIsSentInPartsAndOnlyAPointLargerThanItTakesIsDropped() {
        sender.refuseBodiesOver(2_000);
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), sender);
        try (LogCapture log = new LogCapture()) {
            record(p, TimedFunction.named("A.f"), 100);
            record(p, new TimedFunction(null, "A.huge", java.util.Map.of("blob", "x".repeat(3_000))), 2);
            record(p, TimedFunction.named("A.g"), 100);
            assertTrue(p.flush(WAIT));

            assertEquals(200, p.delivered());
            assertEquals(2, p.dropped());
            assertEquals(2, p.losses().refused());
            List<String> lines = sender.lines();
            assertEquals(100, lines.stream().filter(l -> l.contains("function=A.f,")).distinct().count());
            assertEquals(100, lines.stream().filter(l -> l.contains("function=A.g,")).distinct().count());
            List<String> refusals = log.messages().stream().filter(m -> m.contains("refused a point of A.huge")).toList();
            assertEquals(1, refusals.size(), log.messages().toString());
            assertTrue(refusals.get(0).contains("HTTP 413") && refusals.get(0).contains("max-body-size"), refusals.get(0));
        }
    }

    @Test
    void aBatchStopsAtMaxBatchBytesAndTheRestGoesInTheNextBatch() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY).maxBatchBytes(10_000), sender);
        record(p, TimedFunction.named("A.f"), 1000);

        assertTrue(p.flush(WAIT));
        assertEquals(1000, p.delivered());
        assertEquals(1000, sender.lines().size());
        int bytes = sender.lines().stream().mapToInt(l -> l.length() + 1).sum();
        assertTrue(sender.sends() >= bytes / 10_000, sender.sends() + " requests for " + bytes + " bytes");
    }

    @Test
    void anInterruptOfTheProgramsThreadsHasEverythingWrittenBeforeTheExitWatchEnds() throws Exception {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), sender);
        record(p, TimedFunction.named("A.f"), 500);
        Thread watch = p.exitWatch();
        assertEquals(Thread.currentThread().getThreadGroup(), watch.getThreadGroup(), "in the program's group");
        assertEquals("rawmetrics", p.writer().getThreadGroup().getName(), "the writer is in the library's own group");

        watch.interrupt(); // as mvn exec:java does to the program's threads once main returns, before it joins them
        watch.join(WAIT.toMillis());

        assertFalse(watch.isAlive());
        assertFalse(p.writer().isAlive(), "the watch ends only once the writer has");
        assertEquals(500, p.delivered());
        assertTrue(sender.closed());
    }

    @Test
    void aShutdownEndsBothThreads() throws Exception {
        Pipeline p = start(RawMetricsConfig.builder(), sender);
        record(p, TimedFunction.named("A.f"), 5);

        assertTrue(p.shutdown(WAIT));
        p.exitWatch().join(WAIT.toMillis());
        assertFalse(p.writer().isAlive());
        assertFalse(p.exitWatch().isAlive());
    }

    @Test
    void anInterruptOfTheWriterWritesEverythingAndEndsIt() throws Exception {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), sender);
        record(p, TimedFunction.named("A.f"), 500);
        Thread writer = writerThread();

        writer.interrupt(); // as mvn exec:java does to the program's threads once main returns
        writer.join(WAIT.toMillis());

        assertFalse(writer.isAlive());
        assertEquals(500, p.delivered());
        assertEquals(500, sender.lines().size());
        assertTrue(sender.closed());
    }

    @Test
    void aWriteBrokenByAnInterruptIsSentAgainNotGivenUp() throws Exception {
        LineSender interruptible = new LineSender() {
            private boolean first = true;

            @Override
            public void createDatabase() {
            }

            @Override
            public void send(byte[] bytes, int offset, int length) throws WriteException {
                if (first) {
                    first = false;
                    Thread.currentThread().interrupt(); // what OkHttp does when interrupted mid-write
                    throw new WriteException("java.io.InterruptedIOException: interrupted", Failure.UNAVAILABLE,
                            new java.io.InterruptedIOException("interrupted"));
                }
                sender.send(bytes, offset, length);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), interruptible);
        record(p, TimedFunction.named("A.f"), 50);
        Thread writer = writerThread();
        assertTrue(p.flush(WAIT));

        writer.join(WAIT.toMillis());
        assertFalse(writer.isAlive(), "an interrupt ends the writer");
        assertEquals(50, p.delivered());
        assertEquals(0, p.failedWrites(), "an interrupted write is not a failure of the server");
        assertTrue(p.losses().total() == 0);
    }

    @Test
    void callsMadeAfterTheWriterEndedAreCountedAsUnsent() throws Exception {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), sender);
        record(p, TimedFunction.named("A.f"), 5);
        Thread writer = writerThread();
        writer.interrupt();
        writer.join(WAIT.toMillis());

        record(p, TimedFunction.named("A.f"), 3);
        assertEquals(3, p.losses().unsent());
        assertEquals(5, p.delivered());
    }

    private Thread writerThread() {
        return pipeline.writer();
    }

    @Test
    void theWriterSurvivesAnUnexpectedErrorAndKeepsWriting() throws Exception {
        LineSender flaky = mock(LineSender.class);
        doThrow(new AssertionError("a bug in a transport")).doNothing().when(flaky).send(any(), anyInt(), anyInt());
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(ONE_BATCH_ONLY), flaky);
        record(p, TimedFunction.named("A.f"), 10);
        assertTrue(p.flush(WAIT));
        assertEquals(10, p.dropped(), "the batch being written when it failed is counted as dropped");

        record(p, TimedFunction.named("A.f"), 5);
        assertTrue(p.flush(WAIT));
        assertEquals(5, p.delivered());
        verify(flaky, times(2)).send(any(), anyInt(), anyInt());
    }

    @Test
    void buffersOfThreadsThatEndedAreRecycled() throws Exception {
        // 256 chunks of 16 calls; each thread makes enough calls to get a buffer of its own, which
        // holds a chunk: 400 threads can only all record if their chunks come back.
        Pipeline p = start(RawMetricsConfig.builder().bufferCapacity(4096).batchSize(32), sender);
        int calls = FirstCalls.CALLS_BEFORE_OWN_BUFFER + 4;
        for (int t = 0; t < 400; t++) {
            Thread worker = new Thread(() -> record(p, TimedFunction.named("A.f"), calls));
            worker.start();
            worker.join();
            assertTrue(p.flush(WAIT));
        }
        assertEquals(400 * calls, sender.lines().size());
        assertEquals(0, p.dropped());
    }

    @Test
    void threadsThatMakeOneCallEachShareBuffersSoNoneIsDropped() throws Exception {
        // 256 chunks of 4 calls, and no flush until the end: were each of these 5000 threads given
        // a buffer of its own, holding a chunk until the writer retires it, the pool would run out
        // after a few hundred threads (a virtual thread per request is such a thread).
        Pipeline p = start(RawMetricsConfig.builder().bufferCapacity(1024).batchSize(100).flushInterval(ONE_BATCH_ONLY), sender);
        for (int t = 0; t < 5000; t++) {
            Thread worker = new Thread(() -> record(p, TimedFunction.named("A.f"), 1));
            worker.start();
            worker.join();
        }
        assertTrue(p.flush(WAIT));
        assertEquals(0, p.dropped());
        assertEquals(5000, sender.lines().size());
        assertEquals(5000, p.delivered());
    }

    @Test
    void shutdownWritesWhatIsBufferedAndClosesTheSender() {
        Pipeline p = start(RawMetricsConfig.builder().flushInterval(Duration.ofHours(1)), sender);
        record(p, TimedFunction.named("A.f"), 123);

        assertTrue(p.shutdown(WAIT));
        assertEquals(123, sender.lines().size());
        assertTrue(sender.closed());
    }

    @Test
    void shutdownGivesUpAtItsDeadlineWhenTheServerIsDownAndCountsTheLoss() {
        sender.failWith(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null));
        Pipeline p = start(RawMetricsConfig.builder(), sender);
        record(p, TimedFunction.named("A.f"), 50);

        long start = System.nanoTime();
        try (LogCapture log = new LogCapture()) {
            assertTrue(p.shutdown(Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            assertEquals(50, p.dropped());
            assertTrue(log.messages().contains("rawmetrics: of 50 calls recorded, 50 calls were not written to "
                    + "http://localhost:8086: 50 still unsent when the shutdown deadline (300ms, "
                    + "rawmetrics.shutdown-timeout) passed"), log.messages().toString());
        }
    }

    @Test
    void atExitWhatWasLostIsPrintedOnStandardErrorWithCounts() {
        sender.refuseLinesContaining("function=A.poisoned");
        Pipeline p = start(RawMetricsConfig.builder(), sender);
        record(p, TimedFunction.named("A.poisoned"), 4);
        record(p, TimedFunction.named("A.f"), 6);

        String printed = StandardError.capture(() -> assertTrue(p.shutdownAtExit(WAIT, () -> { })));
        // (The log may be printed there too, while logging still works.)
        List<String> lines = printed.lines().toList();
        assertEquals("rawmetrics: of 10 calls recorded, 4 calls were not written to http://localhost:8086: "
                + "4 refused by the server", lines.get(lines.size() - 1), printed);
    }

    @Test
    void aCleanExitPrintsNothing() {
        Pipeline p = start(RawMetricsConfig.builder(), sender);
        record(p, TimedFunction.named("A.f"), 6);

        assertEquals("", StandardError.capture(() -> assertTrue(p.shutdownAtExit(WAIT, () -> { }))));
        assertEquals(6, sender.lines().size());
    }

    @Test
    void databaseIsCreatedFirstWhenConfigured() throws Exception {
        LineSender creating = mock(LineSender.class);
        pipeline = new Pipeline(RawMetricsConfig.builder().createDatabase(true).build(), creating, HOST, Clock.SYSTEM);

        verify(creating, timeout(WAIT.toMillis())).createDatabase();
    }

    @Test
    void aStopBeforeTheFirstFlushWithNothingRecordedNeitherCreatesTheDatabaseNorWaitsForTheServer() throws Exception {
        LineSender away = mock(LineSender.class);
        doThrow(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null))
                .when(away).createDatabase();
        pipeline = new Pipeline(RawMetricsConfig.builder().createDatabase(true).flushInterval(ONE_BATCH_ONLY).build(),
                away, HOST, Clock.SYSTEM);

        long start = System.nanoTime();
        assertTrue(pipeline.shutdown(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the stop waited for the server");
        verify(away, never()).createDatabase();
        pipeline = null;
    }

    @Test
    void aStopBeforeTheFirstFlushWithCallsToWriteCreatesTheDatabaseFirst() throws Exception {
        LineSender creating = mock(LineSender.class);
        pipeline = new Pipeline(RawMetricsConfig.builder().createDatabase(true).flushInterval(ONE_BATCH_ONLY).build(),
                creating, HOST, Clock.SYSTEM);
        record(pipeline, TimedFunction.named("A.f"), 3);

        assertTrue(pipeline.shutdown(WAIT));
        verify(creating).createDatabase();
        verify(creating).send(any(), anyInt(), anyInt());
        pipeline = null;
    }
}
