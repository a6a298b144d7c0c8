package io.rawmetrics.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.trace.TestSpans;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartingRecorderTest {

    /** What a recorder was handed: site, times, outcome and whether each call was a request. */
    private static final class Handed implements CallRecorder {
        final List<String> calls = new ArrayList<>();

        @Override
        public void record(Object site, long startNanos, long endNanos, Object errorClass) {
            throw new AssertionError("calls are handed over with recordLater, which says whether each was a request");
        }

        @Override
        public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request, Object span) {
            calls.add(site + " " + startNanos + ".." + endNanos + (errorClass == null ? "" : " " + errorClass)
                    + (request ? " request" : ""));
        }
    }

    @Test
    void callsMadeWhileStartingAreHandedOverInOrderWithTheirTimesOutcomesAndNesting() {
        StartingRecorder starting = new StartingRecorder();
        starting.entered();
        starting.entered();
        starting.record("inner", 2, 3, null);
        starting.record("outer", 1, 4, IllegalStateException.class);
        starting.entered();
        boolean request = starting.leftPending();
        starting.recordLater("later", 5, 9, null, request, null);

        Handed handed = new Handed();
        assertEquals(0, starting.handOver(handed));

        assertEquals(List.of("inner 2..3", "outer 1..4 class java.lang.IllegalStateException request",
                "later 5..9 request"), handed.calls);
        assertEquals(0, starting.waiting());
    }

    @Test
    void callsEndingAfterTheHandOverGoStraightToTheRecorder() {
        StartingRecorder starting = new StartingRecorder();
        Handed handed = new Handed();
        starting.handOver(handed);

        starting.entered();
        starting.record("f", 1, 2, null);

        assertEquals(List.of("f 1..2 request"), handed.calls);
    }

    /**
     * The recorder that will take the calls is not known while it starts, nor whether it keeps trace
     * ids: each call keeps the span it ran in (a sampled one of the SDK here), and is handed over
     * with it; the calls outside a span, and those after the first that grew the lists, keep theirs.
     */
    @Test
    void callsMadeWhileStartingKeepTheSpanTheyRanIn() {
        List<Object> spans = new ArrayList<>();
        CallRecorder taking = new CallRecorder() {
            @Override
            public void record(Object site, long startNanos, long endNanos, Object errorClass) {
                throw new AssertionError("handed over with recordLater");
            }

            @Override
            public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request,
                    Object span) {
                spans.add(span);
            }
        };
        StartingRecorder starting = new StartingRecorder();
        starting.record("outside", 1, 2, null);
        Object[] current = new Object[1];
        try (SdkTracerProvider tracing = TestSpans.tracerProvider(Sampler.alwaysOn())) {
            Span span = tracing.get("test").spanBuilder("request").startSpan();
            try (Scope scope = span.makeCurrent()) {
                current[0] = Span.current().getSpanContext();
                for (int i = 0; i < 40; i++) { // past the first lists' 16 slots, so that they grow
                    starting.record("inside", 3 + i, 4 + i, null);
                }
                starting.entered();
                boolean request = starting.leftPending();
                starting.recordLater("later", 50, 60, null, request, starting.currentSpan());
            } finally {
                span.end();
            }
        }
        starting.handOver(taking);

        assertEquals(42, spans.size());
        assertEquals(null, spans.get(0), "made outside any span");
        for (int i = 1; i < 42; i++) {
            assertEquals(current[0], spans.get(i), "call " + i);
        }
    }

    @Test
    void callsBeyondTheCapacityAreDroppedAndCounted() {
        StartingRecorder starting = new StartingRecorder();
        for (int i = 0; i < StartingRecorder.CAPACITY + 10; i++) {
            starting.record("f", i, i + 1, null);
        }

        Handed handed = new Handed();
        assertEquals(10, starting.handOver(handed));
        assertEquals(StartingRecorder.CAPACITY, handed.calls.size());
        assertEquals("f 0..1 request", handed.calls.get(0));
    }

    @Test
    void theStartWaitsForTheFirstCallsToPass() {
        StartingRecorder starting = new StartingRecorder();
        long before = System.nanoTime();
        starting.awaitFirstBurst();
        assertTrue(System.nanoTime() - before >= StartingRecorder.FIRST_BURST_NANOS);
    }

    /** A flush, a stop or the exit waits for the start: it must not wait for the first calls to pass too. */
    @Test
    void theStartBeginsAtOnceWhenSomeoneWaitsForIt() throws Exception {
        StartingRecorder starting = new StartingRecorder();
        Thread starter = new Thread(() -> starting.awaitFirstBurst(Duration.ofHours(1).toNanos()));
        starter.start();
        Thread waiter = new Thread(() -> starting.awaitHandOver(3600));
        waiter.setDaemon(true);
        waiter.start();
        starter.join(Duration.ofSeconds(30).toMillis());
        assertTrue(!starter.isAlive(), "the start went ahead");
        starting.handOver(new Handed());
        waiter.join(Duration.ofSeconds(30).toMillis());
    }

    @Test
    void theStartBeginsAtOnceWhenManyCallsWait() throws Exception {
        StartingRecorder starting = new StartingRecorder();
        for (int i = 0; i < StartingRecorder.START_NOW_AT; i++) {
            starting.entered();
            starting.record("f", i, i + 1, null);
        }
        long before = System.nanoTime();
        starting.awaitFirstBurst(Duration.ofHours(1).toNanos());
        assertTrue(System.nanoTime() - before < Duration.ofMinutes(1).toNanos());
    }

    /** mvn exec:java interrupts the program's threads when main returns: the start goes ahead, and keeps the interrupt. */
    @Test
    void anInterruptedStartGoesAheadAndKeepsTheInterrupt() {
        StartingRecorder starting = new StartingRecorder();
        Thread.currentThread().interrupt();
        starting.awaitFirstBurst(Duration.ofHours(1).toNanos());
        assertTrue(Thread.interrupted());
    }

    @Test
    void aThreadsCallsAreLetGoOfOnceHandedOverAndItsCallsUnderWayHaveEnded() throws Exception {
        StartingRecorder starting = new StartingRecorder();
        Thread idle = new Thread(() -> {
            starting.entered();
            starting.record("idle", 1, 2, null);
        });
        idle.start();
        idle.join();
        starting.entered(); // this thread's call is under way at the hand-over
        assertEquals(2, starting.threadsHeld());
        Handed recorder = new Handed();

        starting.handOver(recorder);

        assertEquals(1, starting.threadsHeld(), "a servlet container's threads must not keep the calls' classes");
        starting.record("under way", 3, 4, null);
        assertEquals(0, starting.threadsHeld());
        assertEquals(List.of("idle 1..2 request", "under way 3..4 request"), recorder.calls);
    }

    /**
     * The usual way a call under way at the hand-over ends: its end reads the new recorder as
     * current and goes there. This recorder never sees it, so the thread's first call there lets go
     * of its calls here (ServletContainerIT found a request thread keeping them, and with them an
     * undeployed application's classes, in about one run in eight).
     */
    @Test
    void aThreadWhoseCallUnderWayAtTheHandOverEndsInTheNewRecorderLetsGoOfItsCallsHere() {
        StartingRecorder starting = new StartingRecorder();
        starting.entered();
        long start = System.nanoTime();
        Pipeline pipeline = new Pipeline(RawMetricsConfig.builder().createDatabase(false).build(), new CollectingSender(),
                HostIdentity.current(), Clock.SYSTEM, starting.createdNanos(), stopped -> { });
        try {
            pipeline.inheritCallsUnderWay(starting::bequeath);
            starting.handOver(pipeline.recorder());
            pipeline.handedOver();
            assertEquals(1, starting.threadsHeld(), "its call is under way");

            pipeline.recorder().record("under way", start, System.nanoTime(), null);

            assertEquals(0, starting.threadsHeld(), "a servlet container's threads must not keep the calls' classes");
        } finally {
            assertTrue(pipeline.shutdown(Duration.ofSeconds(10)));
        }
    }

    /** A call under way at a hand-over to a recorder that never tells this one of its end (recording disabled). */
    @Test
    void callsUnderWayAtTheHandOverAreLetGoOfAtTheApplicationsEndAtTheLatest() {
        StartingRecorder starting = new StartingRecorder();
        starting.entered();
        starting.handOver(CallRecorder.DISABLED);
        assertEquals(1, starting.threadsHeld());

        ReleasableThreadLocal.releaseAtApplicationEnd();

        assertEquals(0, starting.threadsHeld());
    }
}
