package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolReader;

/**
 * The writer's step that replays the spool: the one place that decides what a record read back
 * from it becomes (delivered, refused and counted, or left for later). Putting batches aside is
 * {@link BatchDelivery}'s and the aggregated mode's; their bound, {@link Spool}'s.
 */
final class SpoolReplay {

    private final Spool spool;
    private final BatchDelivery batches;
    private final RetryingSender retrying;
    private final Ledger ledger;
    private final RawBuffers raw;
    private final StopSignal stop;
    /** Whether the spool's next record waits for a retry: the next pass sends it first, outage or not. */
    private boolean waiting;

    SpoolReplay(Spool spool, BatchDelivery batches, RetryingSender retrying, Ledger ledger, RawBuffers raw, StopSignal stop) {
        this.spool = spool;
        this.batches = batches;
        this.retrying = retrying;
        this.ledger = ledger;
        this.raw = raw;
        this.stop = stop;
    }

    /**
     * Delivers what the spool holds, oldest first: records this process put aside, and those an
     * earlier one left. New calls go first: a pass that finds a batch's worth waiting stops here,
     * and the next pass goes on. A record the server refuses for what it holds is counted (this
     * process's points as refused) and not sent again; one it cannot take now stays in the spool.
     *
     * <p>While batches are put aside, the oldest record is the probe, when one is due
     * ({@link BatchDelivery#probeDue}): with no new call to try, the server's return would otherwise
     * go unnoticed. The file being written is closed for it, so that its records can be read.
     *
     * @return false if a record waits for a retry: it stays the spool's next
     */
    boolean run(boolean last) {
        waiting = false;
        boolean probing = batches.spooling();
        if (probing) {
            if (!batches.probeDue()) {
                return true;
            }
            spool.closeWritingQuietly();
        }
        for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
            boolean own = spool.isOwn();
            RetryingSender.Sent sent = probing ? retrying.attempt(record.bytes(), 0, record.length())
                    : retrying.send(record.bytes(), 0, record.length());
            if (probing) {
                batches.probed(sent != RetryingSender.Sent.PUT_ASIDE);
                probing = false;
            }
            if (sent == RetryingSender.Sent.RETRY_LATER) {
                waiting = true;
                return false;
            }
            if (sent == RetryingSender.Sent.PUT_ASIDE || sent == RetryingSender.Sent.GAVE_UP) {
                return true; // the server went away again, or the stop's deadline passed: it stays in the spool
            }
            LineSender.WriteException e = sent.answer();
            if (record.aggregated()) {
                boolean taken = e == null || e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() == 0;
                if (own) {
                    ledger.aggregatedSent(record.calls(), taken);
                }
                spool.done(record, taken ? record.points() : 0);
                continue;
            }
            int refused = e == null ? 0
                    : e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() >= 0
                            ? Math.min(e.rejectedPoints(), record.points()) : record.points();
            if (e != null && refused > 0) {
                batches.rejected(own ? refused : 0, refused + " points from the spool", e);
            }
            spool.done(record, record.points() - refused);
            if (!last && (raw.batchWaiting() || stop.stopping())) {
                return true;
            }
        }
        if (probing) {
            batches.spoolingEnds(); // nothing in the spool to probe with: batches are tried again, as without one
        }
        return true;
    }

    /** Whether a pass is to run this step: while batches are put aside (the probe), while the server answers, or while a record waits for its retry. */
    boolean due(boolean spooling, boolean inOutage) {
        return spooling || !inOutage || waiting;
    }
}
