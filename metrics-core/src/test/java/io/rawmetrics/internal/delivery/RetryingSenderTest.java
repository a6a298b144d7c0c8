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

    private RetryingSender retrying(LineSender sender) {
        return new RetryingSender(sender, RawMetricsConfig.builder().build(), stop, whileWaiting::incrementAndGet,
                new RetryingSender.Backlog() {
                    @Override
                    public long dropped() {
                        return 0;
                    }

                    @Override
                    public long waiting() {
                        return 1;
                    }
                });
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

    /** Keeps what it was sent, and counts CREATE DATABASE. */
    private static class ForwardingSender implements LineSender {
        final CollectingSender kept = new CollectingSender();
        int databasesCreated;

        @Override
        public void createDatabase() {
            databasesCreated++;
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

        assertSame(RetryingSender.Sent.TAKEN, retrying.send(LINE, 0, LINE.length));
        assertEquals(List.of("m f=1i 1"), sender.kept.lines());
        assertEquals(2, retrying.failedWrites());
        assertEquals(2, retrying.retries());
        assertTrue(!retrying.inOutage(), "over once a write went through");
        assertTrue(whileWaiting.get() >= 2, "the writer's other work ran while the retries waited");
    }

    @Test
    void givesUpWhenTheStopsDeadlinePasses() {
        RetryingSender retrying = retrying(new FailingFirst(Integer.MAX_VALUE, UNAVAILABLE));
        stop.request(Duration.ofMillis(300));

        assertSame(RetryingSender.Sent.GAVE_UP, retrying.send(LINE, 0, LINE.length));
        assertTrue(retrying.inOutage());
    }

    @Test
    void theServersAnswerIsReturnedNotRetried() {
        LineSender.WriteException refused = new LineSender.WriteException("HTTP 401: unauthorized",
                LineSender.Failure.REFUSED, null);
        RetryingSender retrying = retrying(new FailingFirst(1, refused));

        RetryingSender.Sent sent = retrying.send(LINE, 0, LINE.length);
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

        assertSame(RetryingSender.Sent.TAKEN, retrying.send(LINE, 0, LINE.length));
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
        assertSame(RetryingSender.Sent.TAKEN, retrying.send(LINE, 0, LINE.length));
        assertEquals(0, retrying.failedWrites());
        assertTrue(stop.stopping());
        assertTrue(!Thread.currentThread().isInterrupted(), "cleared, so that the writes still to come are not broken");
        assertNull(RetryingSender.Sent.TAKEN.answer());
    }
}
