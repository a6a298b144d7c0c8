package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CollectingSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sending as the writer does: retried through an outage, given up at a stop's deadline, never past the server's answer. */
class RetryingSenderTest {

    private static final byte[] LINE = "m f=1i 1\n".getBytes(StandardCharsets.UTF_8);
    private static final LineSender.WriteException UNAVAILABLE =
            new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null);

    private final StopSignal stop = new StopSignal(Duration.ofSeconds(5));
    private final AtomicInteger whileWaiting = new AtomicInteger();

    /** Asked for while a retry waits: the next attempt now (a flush). */
    private volatile boolean hurry;

    private RetryingSender retrying(LineSender sender) {
        return retrying(sender, RawMetricsConfig.builder().build());
    }

    private RetryingSender retrying(LineSender sender, RawMetricsConfig config) {
        return RetryingSenders.over(sender, config, stop, 1);
    }

    /** Sends {@link #LINE} as the writer's loop does, waiting out each retry; {@link #hurry} asks for the next attempt at once. */
    private Sent sendThroughRetries(RetryingSender retrying) {
        return RetryingSenders.sendUntilSettled(retrying, LINE, () -> {
            whileWaiting.incrementAndGet();
            boolean now = hurry;
            hurry = false;
            return now;
        });
    }

    /** A transport that fails its first {@code failures} sends as a server that is down, noting when each attempt came. */
    private static final class DownFirst extends ForwardingSender {
        private final List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final int failures;
        private final Runnable afterLastFailure;

        DownFirst(int failures, Runnable afterLastFailure) {
            this.failures = failures;
            this.afterLastFailure = afterLastFailure;
        }

        @Override
        public void send(byte[] bytes, int offset, int length) throws WriteException {
            attempts.add(System.nanoTime());
            if (attempts.size() <= failures) {
                if (attempts.size() == failures) {
                    afterLastFailure.run();
                }
                throw UNAVAILABLE;
            }
            super.send(bytes, offset, length);
        }

        /** Milliseconds between the last failed attempt and the one after it. */
        long lastWaitMillis() {
            return (attempts.get(failures) - attempts.get(failures - 1)) / 1_000_000;
        }
    }

    /** A transport that fails its first {@code failures} sends with {@code e}. */
    private static final class FailingFirst extends ForwardingSender {
        private int failures;
        private final LineSender.WriteException e;

        FailingFirst(int failures, LineSender.WriteException e) {
            this.failures = failures;
            this.e = e;
        }

        @Override
        public void send(byte[] bytes, int offset, int length) throws WriteException {
            if (failures > 0) {
                failures--;
                throw e;
            }
            super.send(bytes, offset, length);
        }
    }

    /** Keeps what it was sent, and counts CREATE DATABASE; its server says "database not found" of a missing one. */
    private static class ForwardingSender implements LineSender {
        final CollectingSender kept = new CollectingSender();
        int databasesCreated;

        @Override
        public void createDatabase() {
            databasesCreated++;
        }

        @Override
        public boolean targetMissing(WriteException failure) {
            return failure.getMessage().contains("database not found");
        }

        @Override
        public void send(byte[] bytes, int offset, int length) throws WriteException {
            kept.send(bytes, offset, length);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void retriesWhileTheServerIsUnavailableThenDelivers() {
        FailingFirst sender = new FailingFirst(2, UNAVAILABLE);
        RetryingSender retrying = retrying(sender);

        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        assertEquals(List.of("m f=1i 1"), sender.kept.lines());
        assertEquals(2, retrying.failedWrites());
        assertEquals(2, retrying.retries());
        assertTrue(!retrying.inOutage(), "over once a write went through");
        assertTrue(whileWaiting.get() >= 2, "the loop's own work ran while the retries waited");
    }

    @Test
    void givesUpWhenTheStopsDeadlinePasses() {
        RetryingSender retrying = retrying(new FailingFirst(Integer.MAX_VALUE, UNAVAILABLE));
        stop.request(Duration.ofMillis(300));

        assertSame(Sent.GAVE_UP, sendThroughRetries(retrying));
        assertTrue(retrying.inOutage());
    }

    @Test
    void theServersAnswerIsReturnedNotRetried() {
        LineSender.WriteException refused = new LineSender.WriteException("HTTP 401: unauthorized",
                LineSender.Failure.REFUSED, null);
        RetryingSender retrying = retrying(new FailingFirst(1, refused));

        Sent sent = sendThroughRetries(retrying);
        assertSame(refused, sent.answer());
        assertEquals(1, retrying.failedWrites());
        assertEquals(0, retrying.retries());
    }

    @Test
    void aMissingDatabaseIsCreatedOnceAndTheSameBytesSentAgain() {
        LineSender.WriteException missing = new LineSender.WriteException("HTTP 404: database not found: \"x\"",
                LineSender.Failure.REFUSED, null);
        FailingFirst sender = new FailingFirst(1, missing);
        RetryingSender retrying = retrying(sender);

        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        assertEquals(1, sender.databasesCreated);
        assertEquals(List.of("m f=1i 1"), sender.kept.lines());
    }

    /** The application is ending (mvn exec:java interrupts): a stop begins, and the write is not given up for it. */
    @Test
    void anInterruptStartsAStopAndIsNotAFailureOfTheServer() {
        LineSender.WriteException broken = new LineSender.WriteException("interrupted", LineSender.Failure.UNAVAILABLE,
                new java.io.InterruptedIOException());
        FailingFirst sender = new FailingFirst(1, broken);
        RetryingSender retrying = retrying(sender);

        Thread.currentThread().interrupt();
        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        assertEquals(0, retrying.failedWrites());
        assertTrue(stop.stopping());
        assertTrue(!Thread.currentThread().isInterrupted(), "cleared, so that the writes still to come are not broken");
        assertNull(Sent.TAKEN.answer());
    }

    @Test
    void noWaitBetweenAttemptsIsLongerThanTheRetryMaxInterval() {
        DownFirst sender = new DownFirst(12, () -> { });
        RetryingSender retrying = retrying(sender, RawMetricsConfig.builder().retryMaxInterval(Duration.ofMillis(200)).build());
        long start = System.nanoTime();

        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        // Doubling from 100 ms without a cap, the twelve waits would last at least 100 ms x (2^12 - 1) / 2, 3.4 minutes.
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 10, "twelve waits of at most 200 ms took " + seconds + " s");
        assertEquals(12, retrying.retries());
    }

    @Test
    void aStopEndsTheWaitAtOnceAndTheAttemptsGoOnUntilItsDeadline() {
        // Six failures: the wait after the sixth would be 1.6 to 3.2 s; the stop comes as it begins.
        DownFirst sender = new DownFirst(6, () -> stop.request(Duration.ofSeconds(30)));
        RetryingSender retrying = retrying(sender);

        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        assertTrue(sender.lastWaitMillis() < 1_000, "the attempt after the stop came " + sender.lastWaitMillis() + " ms later");
        assertEquals(List.of("m f=1i 1"), sender.kept.lines());
    }

    @Test
    void aFlushAskedForWhileARetryWaitsMakesTheNextAttemptAtOnce() {
        // Six failures: the wait after the sixth would be 1.6 to 3.2 s; a flush is asked for as it begins.
        DownFirst sender = new DownFirst(6, () -> hurry = true);
        RetryingSender retrying = retrying(sender);

        assertSame(Sent.TAKEN, sendThroughRetries(retrying));
        assertTrue(sender.lastWaitMillis() < 1_000, "the attempt after the flush came " + sender.lastWaitMillis() + " ms later");
    }

    /** The retry's wait is the writer's loop's, not the sender's: a send the server cannot take returns at once. */
    @Test
    void aSendTheServerCannotTakeReturnsAtOnceWithItsRetryPending() {
        RetryingSender retrying = retrying(new FailingFirst(Integer.MAX_VALUE, UNAVAILABLE));

        long before = System.nanoTime();
        assertSame(Sent.RETRY_LATER, retrying.send(LINE, 0, LINE.length));
        long took = System.nanoTime() - before;
        long left = retrying.nanosUntilRetry();

        assertTrue(retrying.retryPending());
        assertTrue(left > 0 && left <= Duration.ofMillis(100).toNanos(), "the first back-off, at most 100 ms: " + left + " ns");
        assertTrue(took < left || took < Duration.ofMillis(50).toNanos(), "returned in " + took + " ns, without the wait");
        retrying.retryNow();
        assertTrue(retrying.nanosUntilRetry() <= 0, "a flush makes the retry due now");
    }

    /** Handed back to be put aside (the memory buffer half full): no attempt, nothing pending after. */
    @Test
    void pendingBytesAskedBackForTheSpoolAreHandedBackWithoutAnAttempt() {
        DownFirst sender = new DownFirst(Integer.MAX_VALUE, () -> { });
        RetryingSender retrying = retrying(sender);
        assertSame(Sent.RETRY_LATER, retrying.send(LINE, 0, LINE.length));

        retrying.putAsideNext();
        assertSame(Sent.PUT_ASIDE, retrying.send(LINE, 0, LINE.length));
        assertEquals(1, sender.attempts.size());
        assertTrue(!retrying.retryPending());
    }
}
