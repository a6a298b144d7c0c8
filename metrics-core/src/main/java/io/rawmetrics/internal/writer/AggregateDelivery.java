package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.Sent;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.SpoolPolicy;

/**
 * The writer's step for the aggregated mode: it closes the intervals no call still to come can
 * fall in, and sends their points, as raw batches are sent; while raw batches go to the spool the
 * points wait in memory, and at a stop they go to the spool too.
 */
final class AggregateDelivery {

    private final IntervalWriter intervals;
    private final Clock clock;
    private final BatchEncoder encoder;
    private final BatchDelivery batches;
    private final SpoolPolicy spooling;
    private final RetryingSender retrying;
    private final Ledger ledger;

    AggregateDelivery(IntervalWriter intervals, Clock clock, BatchEncoder encoder, BatchDelivery batches,
            SpoolPolicy spooling, RetryingSender retrying, Ledger ledger) {
        this.intervals = intervals;
        this.clock = clock;
        this.encoder = encoder;
        this.batches = batches;
        this.spooling = spooling;
        this.retrying = retrying;
        this.ledger = ledger;
    }

    /**
     * A pass's work: with {@code now} (a flush, a stop) the interval under way is cut at this
     * moment, else only those behind {@code horizonNanos} are closed; then their points are sent,
     * unless raw batches are being put aside.
     *
     * @return false if an interval's points wait for a retry: they are the first sent by a later pass
     */
    boolean run(boolean now, boolean last, long horizonNanos) {
        close(now, last, horizonNanos);
        if (!spooling.aggregatesWait()) {
            return deliver();
        }
        if (last) {
            putAside(); // the stop, the server still away: no attempt, the spool takes them
        }
        // Else raw batches are put aside, and the intervals' points wait in memory meanwhile.
        return true;
    }

    /**
     * Builds the points of every interval no call still to come can have ended in; with {@code now}
     * (a flush, a stop), also those of the interval under way, cut at this moment; with {@code last}
     * (the stop), every interval still open. They wait to be sent by {@link #deliver}.
     */
    private void close(boolean now, boolean last, long horizonNanos) {
        if (now) {
            intervals.closeAt(clock.wallTimeNanos(), last);
        } else {
            closeBehind(horizonNanos);
        }
    }

    /**
     * Builds the points of every interval behind {@code horizonNanos}, the earliest end time
     * (monotonic) a call still to come can have; {@code Long.MIN_VALUE} if not known yet.
     */
    void closeBehind(long horizonNanos) {
        if (horizonNanos != Long.MIN_VALUE) {
            intervals.closeBehind(horizonNanos + encoder.wallMinusMonotonic(), clock.wallTimeNanos());
        }
    }

    /**
     * Sends the closed intervals' points, oldest first, retrying as raw batches are; what the
     * server refuses, or what is still unsent at the shutdown deadline, is counted as the calls it
     * counts, and logged. While they wait for a retry, more intervals are closed ({@link #closeBehind}).
     *
     * @return false if the oldest waits for a retry
     */
    private boolean deliver() {
        for (IntervalWriter.Points next = intervals.nextToSend(); next != null; next = intervals.nextToSend()) {
            Sent sent = retrying.send(next.lines().array(), 0, next.lines().length());
            if (sent == Sent.RETRY_LATER) {
                return false;
            }
            if (sent == Sent.PUT_ASIDE) {
                return true; // the raw batches go to the spool first; these points wait, within IntervalWriter's bound
            }
            if (sent == Sent.GAVE_UP && spooling.atDeadline() && intervals.putAside(next)) {
                intervals.sent(next); // the stop's deadline passed: left in the spool for the next process
                continue;
            }
            intervals.sent(next);
            LineSender.WriteException e = sent.answer();
            // Everything taken, or a partial write that refused nothing.
            boolean taken = sent == Sent.TAKEN
                    || e != null && e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() == 0;
            ledger.aggregatedSent(next.calls(), taken);
            if (!taken && e != null) {
                batches.rejected(0, "the aggregated points of an interval (counting " + next.calls() + " calls)", e);
            }
        }
        return true;
    }

    /** At a stop while batches are put aside: every interval's points go to the spool, or are counted as lost. */
    private void putAside() {
        for (IntervalWriter.Points next = intervals.nextToSend(); next != null; next = intervals.nextToSend()) {
            if (!intervals.putAside(next)) {
                ledger.aggregatedSent(next.calls(), false);
            }
            intervals.sent(next);
        }
    }
}
