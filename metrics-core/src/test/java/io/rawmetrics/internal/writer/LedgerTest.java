package io.rawmetrics.internal.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.FakeClock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.RetryingSenders;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counts read from the rooms, and recorded = delivered + dropped + buffered worked out in one place. */
class LedgerTest {

    private final FakeClock clock = new FakeClock(1_764_000_000_000_000_000L);
    private final CollectingSender sender = new CollectingSender();
    private final RawMetricsConfig config = RawMetricsConfig.builder().build();
    private final RawBuffers raw = new RawBuffers(1_024, 100, false, false, clock, 0, Long.MAX_VALUE, () -> { });
    private final BatchEncoder encoder = new BatchEncoder("raw-requests", Integer.MAX_VALUE, new HostIdentity("h", "h:1"), clock);
    private final BatchDelivery batches = new BatchDelivery(
            RetryingSenders.over(sender, config, new StopSignal(Duration.ofSeconds(5)), 0), encoder, config);
    private final Ledger ledger = new Ledger(raw, batches, encoder, null, null);

    @Test
    void whatIsNeitherDeliveredNorDroppedIsBufferedAndUnsentOnceTheWriterHasEnded() {
        ThreadBuffer buffer = raw.ownBuffer(Thread.currentThread());
        TimedFunction good = TimedFunction.named("App.good");
        TimedFunction refused = TimedFunction.named("App.refused");
        for (int i = 1; i <= 10; i++) {
            buffer.append(i == 3 ? refused : good, i * 1_000L, i * 1_000L + 500, null);
        }
        sender.refuseLinesContaining("App.refused");

        // One batch of the first six calls: five delivered, one refused.
        raw.startPass();
        encoder.startBatch();
        raw.takeOldestFirst((b, limit, consumed) -> b.drainTo(encoder, limit, consumed), 6, encoder::full);
        batches.deliverBatch();
        raw.recycleInFlight();

        Pipeline.Counts counts = ledger.counts();
        assertEquals(new Pipeline.Counts(10, 5, 1), counts);
        assertEquals(4, counts.buffered());
        assertEquals(10, ledger.recorded());
        assertEquals(1, ledger.dropped());

        Losses running = ledger.losses(false);
        assertEquals(1, running.refused());
        assertEquals(0, running.unsent(), "while the writer runs, the calls waiting will be written");
        Losses ended = ledger.losses(true);
        assertEquals(4, ended.unsent(), "once it has ended, they never will");
        assertEquals(5, ended.total());
    }

    @Test
    void aBatchLostToAFailureOfTheWriterIsCountedAsDropped() {
        ThreadBuffer buffer = raw.ownBuffer(Thread.currentThread());
        for (int i = 1; i <= 4; i++) {
            buffer.append(TimedFunction.named("App.f"), i, i + 1, null);
        }

        ledger.writerFailed(4, new OutOfMemoryError("Java heap space"));

        assertEquals(new Pipeline.Counts(4, 0, 4), ledger.counts());
        assertEquals(4, ledger.losses(true).writerFailed());
        assertEquals(0, ledger.losses(true).unsent());
        assertEquals("java.lang.OutOfMemoryError: Java heap space", ledger.losses(true).writerFailure());
    }

    @Test
    void everyCallNotWrittenWhenTheWriterDiedIsCountedAsLostToItsCause() {
        ThreadBuffer buffer = raw.ownBuffer(Thread.currentThread());
        for (int i = 1; i <= 6; i++) {
            buffer.append(TimedFunction.named("App.f"), i, i + 1, null);
        }

        ledger.writerDied(new NoClassDefFoundError("okhttp3/OkHttpClient"));
        buffer.append(TimedFunction.named("App.f"), 7, 8, null); // a later call: no one will write it

        assertEquals(new Pipeline.Counts(7, 0, 7), ledger.counts());
        Losses losses = ledger.losses(true);
        assertEquals(7, losses.writerFailed());
        assertEquals(0, losses.unsent());
        assertEquals(7, losses.total());
        assertTrue(losses.describe(7, "", "http://influx:8086", 100_000, java.time.Duration.ofSeconds(5)).contains(
                "7 lost when the writer failed of java.lang.NoClassDefFoundError: okhttp3/OkHttpClient"), losses::toString);
    }
}
