package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.aggregate.AggregatingSink;
import io.rawmetrics.internal.buffer.Chunk;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import java.util.List;

/**
 * The writer's first step: it drains the buffers, oldest calls first, into batches of at most
 * {@code batchSize} points and {@code maxBatchBytes} bytes, and has each one delivered
 * ({@link BatchDelivery}). When some calls are aggregated, it drains through the sink that sorts
 * them ({@link AggregatingSink}). It also knows the horizon: the earliest end time a call still to
 * come can have, which closes the aggregated intervals behind it.
 */
final class RawBatches {

    private final RawMetricsConfig config;
    private final RawBuffers raw;
    private final BatchEncoder encoder;
    private final BatchDelivery batches;
    /** The sink that sorts drained calls, and the step that closes intervals; both null when every call is raw. */
    private final AggregatingSink aggregating;
    private final AggregateDelivery aggregates;

    /** The earliest end time a call still to come can have, as of the last drain ({@link #fillBatch}). */
    private long horizonNanos = Long.MIN_VALUE;
    /** Delivered, refused and abandoned when the current batch started: what a failed pass loses is the rest. */
    private long settledAtBatchStart;
    /** Whether a batch is being filled or sent, or waits for its retry. */
    private boolean batchOpen;

    RawBatches(RawMetricsConfig config, RawBuffers raw, BatchEncoder encoder, BatchDelivery batches,
            AggregatingSink aggregating, AggregateDelivery aggregates) {
        this.config = config;
        this.raw = raw;
        this.encoder = encoder;
        this.batches = batches;
        this.aggregating = aggregating;
        this.aggregates = aggregates;
    }

    /**
     * Drains every buffer, batch after batch, until a batch comes out short; a batch an earlier
     * pass left waiting for a retry goes first.
     *
     * @return false if a batch waits for a retry: nothing more is drained until it is delivered
     */
    boolean run() {
        if (batchOpen) {
            if (!batches.resume()) {
                return false;
            }
            closeBatch();
        }
        boolean more;
        do {
            raw.startPass();
            encoder.startBatch();
            settledAtBatchStart = batches.settled();
            batchOpen = true;
            int taken = fillBatch();
            more = taken == config.batchSize() || encoder.full();
            if (encoder.points() > 0 && !batches.deliverBatch()) {
                return false; // its chunks stay in flight: the calls are counted as waiting, not as free space
            }
            closeBatch();
        } while (more);
        return true;
    }

    /** The earliest end time (monotonic) a call still to come can have; {@code Long.MIN_VALUE} if not known yet. */
    long horizonNanos() {
        return horizonNanos;
    }

    /**
     * A pass failed: the points of the open batch not settled yet are lost (returned, to be
     * counted); the chunks it held go back to the pool.
     */
    long passFailed() {
        long lost = batchOpen ? Math.max(0, encoder.points() - (batches.settled() - settledAtBatchStart)) : 0;
        batchOpen = false;
        batches.dropBatch();
        raw.recycleInFlight();
        return lost;
    }

    /**
     * While a batch waits for its retry, the buffer fills: once it is half full, the aggregated
     * calls waiting are read anyway, up to the first raw call of each buffer (which keeps its
     * place), so that they are counted in their intervals and their points kept. In mode
     * {@code aggregated} that is every call: the buffer never fills.
     */
    void readAggregatedWhileWaiting() {
        if (aggregating == null || !raw.halfFull()) {
            return;
        }
        raw.startPass();
        aggregating.whileRawCallsWait(() -> {
            raw.takeAll(this::drain);
            horizonNanos = raw.futureEndsFrom();
            aggregates.closeBehind(horizonNanos);
        });
    }

    /** The batch is settled: the chunks it was read from go back to the pool. */
    private void closeBatch() {
        batchOpen = false;
        raw.recycleInFlight();
    }

    /**
     * Takes up to a batch from the buffers, oldest calls first ({@link RawBuffers#takeOldestFirst}),
     * then tells the encoder the earliest end time a call still to come can have (see
     * {@link RawBuffers#futureEndsFrom}).
     */
    private int fillBatch() {
        int taken = raw.takeOldestFirst(this::drain, config.batchSize(), encoder::full);
        long futureEndsFrom = raw.futureEndsFrom();
        encoder.drainedUntil(futureEndsFrom);
        horizonNanos = futureEndsFrom;
        return taken;
    }

    /** Drains a buffer into the encoder or, when some calls are aggregated, the sink that sorts them. */
    private int drain(ThreadBuffer buffer, int limit, List<Chunk> consumed) {
        return aggregating == null ? buffer.drainTo(encoder, limit, consumed) : aggregating.drain(buffer, limit, consumed);
    }
}
