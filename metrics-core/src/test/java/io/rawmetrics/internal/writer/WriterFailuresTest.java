package io.rawmetrics.internal.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.SiteDescribers;
import io.rawmetrics.internal.StandardError;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.delivery.DeferredSender;
import io.rawmetrics.internal.delivery.LineSender;
import java.time.Duration;
import java.util.ResourceBundle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer thread never dies silently (issue 34): an {@code Error} from the sender, from the
 * encoder or from loading the HTTP client's classes costs at most the batch it hit, is said once
 * with its cause, counted, and the writer goes on; a failure it cannot survive is said too, and
 * every call it leaves unwritten is counted as lost to that cause.
 */
class WriterFailuresTest {

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
        pipeline = new Pipeline(config.flushInterval(ONE_BATCH_ONLY).createDatabase(false).build(), to, HOST, Clock.SYSTEM);
        return pipeline;
    }

    @Test
    void anErrorFromTheSenderCostsItsBatchIsSaidOnceWithItsCauseAndTheWriterGoesOn() {
        AtomicInteger sends = new AtomicInteger();
        LineSender failingTwice = new ForwardingSender(sender) {
            @Override
            public void send(byte[] bytes, int offset, int length) throws WriteException {
                if (sends.incrementAndGet() <= 2) {
                    throw new OutOfMemoryError("Java heap space");
                }
                super.send(bytes, offset, length);
            }
        };
        try (LogCapture log = new LogCapture()) {
            Pipeline p = start(RawMetricsConfig.builder(), failingTwice);
            TestCalls.record(p, TimedFunction.named("A.f"), 10);
            assertTrue(p.flush(WAIT));
            TestCalls.record(p, TimedFunction.named("A.f"), 7);
            assertTrue(p.flush(WAIT));
            TestCalls.record(p, TimedFunction.named("A.f"), 5);
            assertTrue(p.flush(WAIT));

            assertEquals(5, p.delivered(), "the writer went on after both failures");
            assertEquals(17, p.dropped(), "each failure cost the batch it was writing");
            assertEquals(17, p.losses().writerFailed());
            assertEquals(1, log.messages().stream().filter(m -> m.startsWith("rawmetrics: the writer failed")).count(),
                    "said once, not once a pass: " + log.messages());
            assertTrue(log.messages().contains("rawmetrics: the writer failed; 10 points of the batch it was writing"
                    + " are dropped, and it goes on"), log.messages().toString());

            p.shutdown(WAIT);
            assertTrue(log.messages().contains("rawmetrics: of 22 calls recorded, 17 calls were not written to"
                    + " http://localhost:8086: 17 lost when the writer failed of java.lang.OutOfMemoryError: Java heap"
                    + " space (logged when it happened)"), log.messages().toString());
        }
    }

    /**
     * The encoder runs out of memory describing a site: the calls it was reading stay in their
     * buffer (a buffer moves past a run of calls only once the encoder took it), and the next pass
     * writes them.
     */
    @Test
    void anErrorFromTheEncoderLosesNoCallTheNextPassWritesThem() {
        Object site = new Object() {
            @Override
            public String toString() {
                return "a site whose describer runs out of memory once";
            }
        };
        AtomicBoolean failed = new AtomicBoolean();
        SiteDescribers.register(candidate -> {
            if (candidate != site) {
                return null;
            }
            if (failed.compareAndSet(false, true)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return TimedFunction.named("A.described");
        });
        try (LogCapture log = new LogCapture()) {
            Pipeline p = start(RawMetricsConfig.builder(), sender);
            for (int i = 0; i < 4; i++) {
                long now = System.nanoTime();
                p.record(site, now - 100, now, null);
            }
            assertTrue(p.flush(WAIT));
            assertTrue(failed.get());
            assertEquals(0, p.delivered());

            TestCalls.record(p, TimedFunction.named("A.f"), 2);
            assertTrue(p.flush(WAIT));
            assertEquals(6, p.delivered());
            assertEquals(0, p.dropped());
            assertEquals(4, sender.lines().stream().filter(l -> l.contains("function=A.described")).count());
            assertTrue(log.messages().contains("rawmetrics: the writer failed; it goes on, and the calls it was"
                    + " reading wait for its next pass"), log.messages().toString());
        }
    }

    @Test
    void aDescriberThatCannotLoadAClassMakesItsSiteUndescribableNotEveryBatchLost() {
        Object site = new Object();
        SiteDescribers.register(candidate -> {
            if (candidate == site) {
                throw new NoClassDefFoundError("com/example/Gone");
            }
            return null;
        });
        try (LogCapture log = new LogCapture()) {
            Pipeline p = start(RawMetricsConfig.builder(), sender);
            for (int i = 0; i < 3; i++) {
                long now = System.nanoTime();
                p.record(site, now - 100, now, null);
            }
            TestCalls.record(p, TimedFunction.named("A.f"), 4);
            assertTrue(p.flush(WAIT));

            assertEquals(4, p.delivered());
            assertEquals(3, p.losses().undescribable());
            assertEquals(0, p.losses().writerFailed());
            assertTrue(log.messages().stream().anyMatch(m -> m.endsWith(
                    "cannot be written and are dropped: java.lang.NoClassDefFoundError: com/example/Gone")), log.messages().toString());
        }
    }

    /**
     * A class the HTTP client needs that cannot be loaded (the program's class loader closed, a jar
     * replaced under the JVM): an outage, retried while the calls wait, and said with its cause.
     */
    @Test
    void aClientWhoseClassesCannotBeLoadedYetIsRetriedAndTheCallsWait() {
        AtomicInteger attempts = new AtomicInteger();
        LineSender deferred = new DeferredSender(() -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new NoClassDefFoundError("okhttp3/internal/connection/RouteDatabase");
            }
            return sender;
        });
        try (LogCapture log = new LogCapture()) {
            Pipeline p = start(RawMetricsConfig.builder(), deferred);
            TestCalls.record(p, TimedFunction.named("A.f"), 100);

            assertTrue(p.flush(WAIT));
            assertEquals(100, p.delivered());
            assertEquals(0, p.dropped());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains(
                    "could not make the HTTP client: java.lang.NoClassDefFoundError: okhttp3/internal/connection/RouteDatabase")),
                    log.messages().toString());
        }
    }

    @Test
    void aClientThatCanNeverBeMadeLosesItsCallsAtTheStopWithTheCountSaid() {
        LineSender never = new DeferredSender(() -> {
            throw new NoClassDefFoundError("okhttp3/OkHttpClient");
        });
        try (LogCapture log = new LogCapture()) {
            Pipeline p = start(RawMetricsConfig.builder(), never);
            TestCalls.record(p, TimedFunction.named("A.f"), 30);

            p.shutdown(Duration.ofMillis(300));
            pipeline = null;
            assertEquals(30, p.dropped());
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("could not make the HTTP client: "
                    + "java.lang.NoClassDefFoundError: okhttp3/OkHttpClient")), log.messages().toString());
            assertTrue(log.messages().contains("rawmetrics: of 30 calls recorded, 30 calls were not written to "
                    + "http://localhost:8086: 30 still unsent when the shutdown deadline (300ms, "
                    + "rawmetrics.shutdown-timeout) passed"), log.messages().toString());
        }
    }

    /**
     * The writer's own handling of a failure fails (here its log; under {@code mvn exec:java}, the
     * program's class loader closed under it): the thread ends, says so on standard error, and
     * every call it did not write, later ones included, is counted as lost to that cause.
     */
    @Test
    void aWriterThatDiesSaysSoAndCountsEveryCallLeftAndEveryLaterOneAsLostToItsCause() throws Exception {
        LineSender failing = new ForwardingSender(sender) {
            @Override
            public void send(byte[] bytes, int offset, int length) {
                throw new AssertionError("a bug in a transport");
            }
        };
        System.Logger broken = new ThrowingLogger();
        LibraryLog.sendTo(broken);
        String printed;
        Pipeline p;
        try {
            p = start(RawMetricsConfig.builder(), failing);
            TestCalls.record(p, TimedFunction.named("A.f"), 8);
            printed = StandardError.capture(() -> {
                p.flush(WAIT);
                awaitWriterEnd(p);
            });
        } finally {
            LibraryLog.stopSendingTo(broken);
        }
        assertFalse(p.writer().isAlive());
        assertTrue(printed.startsWith("rawmetrics: the writer thread ended; no timed call will be written from now on,"
                + " and those not yet written are lost (see RawMetrics.stats()):"), printed);
        assertTrue(printed.contains("java.lang.NoClassDefFoundError: java/util/logging/Gone"), printed);

        TestCalls.record(p, TimedFunction.named("A.f"), 3); // after its death
        assertEquals(new Pipeline.Counts(11, 0, 11), p.counts(), "stats() show them as dropped");
        Losses losses = p.losses();
        assertEquals(11, losses.writerFailed());
        assertEquals(0, losses.unsent());
        String atExit = StandardError.capture(() -> p.shutdownAtExit(WAIT, () -> { }));
        pipeline = null;
        assertTrue(atExit.contains("rawmetrics: of 11 calls recorded, 11 calls were not written to http://localhost:8086:"
                + " 11 lost when the writer failed of java.lang.AssertionError: a bug in a transport"), atExit);
    }

    /**
     * The JVM's hook waits for the writer for its deadline and a second, then the JVM ends, under
     * a writer still writing if need be: what it has not written is said, not lost unseen.
     */
    @Test
    void aStopWhoseWaitRunsOutWhileTheWriterStillWritesSaysWhatItHasNotWritten() {
        CountDownLatch release = new CountDownLatch(1);
        LineSender slow = new ForwardingSender(sender) {
            @Override
            public void send(byte[] bytes, int offset, int length) throws WriteException {
                try {
                    release.await(30, TimeUnit.SECONDS); // a write far slower than the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.send(bytes, offset, length);
            }
        };
        Pipeline p = start(RawMetricsConfig.builder(), slow);
        TestCalls.record(p, TimedFunction.named("A.f"), 25);

        String printed;
        try {
            printed = StandardError.capture(() -> assertFalse(p.shutdownAtExit(Duration.ofMillis(100), () -> { })));
        } finally {
            release.countDown();
        }
        assertTrue(printed.contains("rawmetrics: of 25 calls recorded, 25 calls were not written to http://localhost:8086:"
                + " 25 still unsent when the shutdown deadline (100ms, rawmetrics.shutdown-timeout) passed"), printed);
    }

    private static void awaitWriterEnd(Pipeline p) {
        try {
            p.writer().join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A sender that passes everything on: tests override what fails. */
    private static class ForwardingSender implements LineSender {
        private final LineSender to;

        ForwardingSender(LineSender to) {
            this.to = to;
        }

        @Override
        public void createDatabase() throws WriteException {
            to.createDatabase();
        }

        @Override
        public void send(byte[] bytes, int offset, int length) throws WriteException {
            to.send(bytes, offset, length);
        }

        @Override
        public void close() {
            to.close();
        }
    }

    /** Logging that is gone, as it is once a class loader it needs is closed. */
    private static final class ThrowingLogger implements System.Logger {
        @Override
        public String getName() {
            return "broken";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            throw new NoClassDefFoundError("java/util/logging/Gone");
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            throw new NoClassDefFoundError("java/util/logging/Gone");
        }
    }
}
