package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.FakeClock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** A batch's delivery: in halves when the server refuses part of it, every point counted by its fate. */
class BatchDeliveryTest {

    private final CollectingSender sender = new CollectingSender();
    private final StopSignal stop = new StopSignal(Duration.ofSeconds(5));
    private final RawMetricsConfig config = RawMetricsConfig.builder().build();
    private final BatchEncoder encoder = new BatchEncoder("raw-requests", Integer.MAX_VALUE,
            new HostIdentity("h", "h:1"), new FakeClock(1_764_000_000_000_000_000L));
    private final BatchDelivery delivery = new BatchDelivery(RetryingSenders.over(sender, config, stop, 0),
            encoder, config);

    /** A batch of {@code calls} calls of {@code function}, after those already in it. */
    private void encode(String function, int calls) {
        TimedFunction site = TimedFunction.named(function);
        for (int i = 0; i < calls; i++) {
            long end = 1_000_000L * (encoder.points() + 1);
            encoder.accept(site, null, new long[] {end - 1_000, end}, null, 0, 1);
        }
    }

    private int distinctLinesStored() {
        return new HashSet<>(sender.lines()).size();
    }

    @Test
    void aWholeBatchTakenIsDeliveredInOneRequest() {
        encoder.startBatch();
        encode("App.f", 10);

        delivery.deliverBatch();

        assertEquals(10, delivery.delivered());
        assertEquals(10, delivery.settled());
        assertEquals(1, sender.sends());
    }

    @Test
    void aPointTheServerRefusesIsDroppedAloneAndTheOthersAreDelivered() {
        encoder.startBatch();
        encode("App.good", 5);
        encode("App.refused", 1);
        encode("App.good", 4);
        sender.refuseLinesContaining("App.refused");

        delivery.deliverBatch();

        assertEquals(9, delivery.delivered());
        assertEquals(1, delivery.refused());
        assertEquals(10, delivery.settled());
        assertEquals(9, distinctLinesStored());
        assertTrue(sender.lines().stream().noneMatch(line -> line.contains("App.refused")));
    }

    @Test
    void aBatchLargerThanTheServerTakesIsSentInHalvesUntilEachHalfFits() {
        encoder.startBatch();
        encode("App.f", 16);
        int lineBytes = encoder.lineEnd(0) - encoder.lineStart(0);
        sender.refuseBodiesOver(4 * lineBytes + 2); // four points a request, at most

        delivery.deliverBatch();

        assertEquals(16, delivery.delivered());
        assertEquals(0, delivery.refused());
        assertEquals(16, distinctLinesStored());
        assertEquals(1 + 2 + 4, sender.sends(), "16 refused, two 8s refused, four 4s taken");
    }

    @Test
    void aRequestRefusedWholeCountsEveryPointAsRefused() {
        encoder.startBatch();
        encode("App.f", 7);
        sender.failWith(new LineSender.WriteException("HTTP 401: unauthorized", LineSender.Failure.REFUSED, null));

        delivery.deliverBatch();

        assertEquals(0, delivery.delivered());
        assertEquals(7, delivery.refused());
        assertEquals(1, sender.sends(), "a refused request is never sent again");
    }

    @Test
    void pointsStillUnsentAtTheStopsDeadlineAreAbandoned() {
        encoder.startBatch();
        encode("App.f", 3);
        sender.failWith(new LineSender.WriteException("connection refused", LineSender.Failure.UNAVAILABLE, null));
        stop.request(Duration.ZERO);

        delivery.deliverBatch();

        assertEquals(3, delivery.abandoned());
        assertEquals(0, delivery.delivered() + delivery.refused());
        assertEquals(3, delivery.settled());
    }

    /**
     * The server goes away after taking the first quarter of a batch sent in halves: delivery stops
     * there, at once, and the next pass goes on where it stopped, sending nothing twice.
     */
    @Test
    void aBatchTheServerStopsTakingHalfWayWaitsForItsRetryAndGoesOnWhereItStopped() {
        LineSender.WriteException down = new LineSender.WriteException("connection refused",
                LineSender.Failure.UNAVAILABLE, null);
        int[] sends = {0};
        LineSender goesAway = new LineSender() {
            @Override
            public void createDatabase() {
            }

            @Override
            public void send(byte[] bytes, int offset, int length) throws WriteException {
                if (++sends[0] == 4) {
                    sender.failWith(down); // 16 refused, 8 refused, 4 taken: the next 4 find it away
                }
                sender.send(bytes, offset, length);
            }

            @Override
            public void close() {
            }
        };
        RetryingSender retrying = RetryingSenders.over(goesAway, config, stop, 0);
        BatchDelivery halves = new BatchDelivery(retrying, encoder, config);
        encoder.startBatch();
        encode("App.f", 16);
        int lineBytes = encoder.lineEnd(0) - encoder.lineStart(0);
        sender.refuseBodiesOver(4 * lineBytes + 2);

        long before = System.nanoTime();
        assertFalse(halves.deliverBatch(), "the server is away: the rest waits for a retry");
        assertTrue(System.nanoTime() - before < Duration.ofMillis(50).toNanos() || retrying.nanosUntilRetry() > 0,
                "the send returned rather than waited");
        assertTrue(halves.waiting());
        assertTrue(retrying.retryPending());
        assertEquals(4, halves.delivered());

        sender.failWith(null);
        assertTrue(halves.resume());
        assertEquals(16, halves.delivered());
        assertEquals(16, distinctLinesStored());
        assertEquals(16, sender.lines().size(), "no point sent twice");
        assertTrue(!halves.waiting() && !retrying.retryPending());
        assertEquals(1, retrying.retries());
    }
}
