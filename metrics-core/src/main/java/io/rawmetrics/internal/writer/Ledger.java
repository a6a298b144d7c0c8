package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;

/**
 * What became of the calls, by cause, and the one place where what is still buffered is derived:
 * {@code recorded = delivered + dropped + buffered} ({@link Pipeline.Counts}).
 *
 * <p>The rooms keep their own counters and this class reads them, never copies them: the buffers
 * (recorded, dropped because full), the batches (delivered, refused, abandoned), the encoder
 * (undescribable), the intervals (counted, reported, dropped while waiting). It keeps only what
 * belongs to no room: a batch lost to a failure of the writer, and what became of the aggregated
 * points. Those are written by the writer thread only; everything is read by any thread.
 */
final class Ledger {

    private final RawBuffers raw;
    private final BatchDelivery batches;
    private final BatchEncoder encoder;
    /** The aggregated mode's intervals, or {@code null} when every call is written raw. */
    private final IntervalWriter intervals;
    /** The disk spool, or {@code null}: points put aside there are buffered, not lost, until replayed. */
    private final Spool spool;

    // Written by the writer thread only; volatile so that stats can be read from any thread.
    private volatile long writerFailed;
    /** Calls counted in aggregated points the server accepted, and in ones it refused or that were never sent. */
    private volatile long aggregatedDelivered;
    private volatile long aggregatedLost;
    /**
     * What the writer's first failure was, as {@code Throwable.toString()} says it; {@code null} if
     * it never failed. Said in the loss summary, so that the count names its cause.
     */
    private volatile String writerFailure;
    /** Set if the writer thread ended of a failure: nothing buffered, nor any later call, will be written. */
    private volatile boolean writerDied;
    /** Whether the writer's latest pass failed: if it was its last, what it left was lost to that failure. */
    private volatile boolean lastPassFailed;

    Ledger(RawBuffers raw, BatchDelivery batches, BatchEncoder encoder, IntervalWriter intervals, Spool spool) {
        this.raw = raw;
        this.batches = batches;
        this.encoder = encoder;
        this.intervals = intervals;
        this.spool = spool;
    }

    /** Writer thread: a pass failed of {@code cause}, and the points of the batch it was writing are lost. */
    void writerFailed(long points, Throwable cause) {
        writerFailed += points;
        lastPassFailed = true;
        if (writerFailure == null) {
            writerFailure = String.valueOf(cause);
        }
    }

    /** Writer thread: a pass went through. */
    void passDone() {
        if (lastPassFailed) {
            lastPassFailed = false;
        }
    }

    /** Writer thread, as it ends of {@code cause}: every call not delivered yet is lost, and every later one. */
    void writerDied(Throwable cause) {
        writerDied = true;
        if (writerFailure == null) {
            writerFailure = String.valueOf(cause);
        }
    }

    /** Writer thread: an interval's points, counting {@code calls} calls, were taken, or are lost. */
    void aggregatedSent(long calls, boolean taken) {
        if (taken) {
            aggregatedDelivered += calls;
        } else {
            aggregatedLost += calls;
        }
    }

    /** Calls counted in aggregated points the server accepted. */
    long aggregatedDelivered() {
        return aggregatedDelivered;
    }

    /**
     * Raw calls recorded, dropped ones included (see {@link io.rawmetrics.internal.buffer.ThreadBuffer#recorded()} for its
     * precision); calls only aggregated are not raw ones.
     */
    long recorded() {
        long recorded = raw.recorded();
        return intervals == null ? recorded : recorded - intervals.sink().aggregatedOnly();
    }

    /**
     * Raw calls dropped: buffer full, refused by the server, undescribable, still unsent at
     * shutdown, or put aside in a spool record found damaged.
     */
    long dropped() {
        long dropped = droppedOtherwise();
        return writerDied ? dropped + strandedByDeadWriter(dropped) : dropped;
    }

    /** Dropped for every cause but a dead writer's: buffer full, refused, abandoned, a failed batch, undescribable, damaged. */
    private long droppedOtherwise() {
        long dropped = raw.dropped() + batches.refused() + batches.abandoned() + writerFailed + encoder.undescribable();
        return spool == null ? dropped : dropped + spool.damagedOwnPoints();
    }

    /** Once the writer died: the calls neither delivered, dropped otherwise, nor in the spool, which no one will write. */
    private long strandedByDeadWriter(long droppedOtherwise) {
        return Math.max(0, recorded() - delivered() - droppedOtherwise - inSpool());
    }

    /** Points delivered: as batches, and from the spool, of those this process put aside. */
    long delivered() {
        long delivered = batches.delivered();
        return spool == null ? delivered : delivered + spool.replayedOwn();
    }

    /** Recorded, delivered and dropped, read together; the calls in the spool are buffered. */
    Pipeline.Counts counts() {
        long dropped = dropped();
        return new Pipeline.Counts(recorded(), delivered(), dropped);
    }

    /** Points this process put aside in the spool and has not delivered: left for a later replay, not lost. */
    long inSpool() {
        return spool == null ? 0 : spool.ownWaiting();
    }

    /**
     * At a stop whose wait for the writer ran out (its deadline and a second passed, the writer
     * still writing): what it has not written yet counts as unsent at the deadline, since the JVM
     * may end under it, and a loss is never unsaid (docs/reliability.md).
     */
    Losses lossesPastDeadline() {
        Losses now = losses(false);
        long waiting = Math.max(0, counts().buffered() - inSpool());
        return new Losses(now.bufferFull(), now.refused(), now.abandoned() + waiting, now.writerFailed(),
                now.undescribable(), now.unsent(), now.aggregated(), now.writerFailure());
    }

    /**
     * What is lost so far, by cause. Once the writer has ended, calls neither delivered nor
     * dropped were recorded after its last pass: they count as unsent, and so do aggregated calls
     * counted in no interval written; unless that pass failed, which left them in the buffers.
     */
    Losses losses(boolean writerEnded) {
        long failed = writerFailed;
        long unsent = writerEnded ? Math.max(0, counts().buffered() - inSpool()) : 0;
        if (writerDied) {
            failed += strandedByDeadWriter(droppedOtherwise());
        } else if (writerEnded && lastPassFailed) {
            failed += unsent; // left in the buffers because the last pass failed, not made after it
            unsent = 0;
        }
        long aggregated = aggregatedLost;
        if (intervals != null) {
            aggregated += intervals.dropped();
            if (writerEnded) {
                aggregated += Math.max(0, intervals.counted() - intervals.reported());
            }
        }
        return new Losses(raw.dropped(), batches.refused(), batches.abandoned(), failed, encoder.undescribable(),
                unsent, aggregated, writerFailure);
    }
}
