package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.Sent;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolPolicy;
import io.rawmetrics.internal.spool.SpoolReader;

/**
 * The writer's step that replays the spool: the one place that decides what a record read back
 * from it becomes (delivered, refused and counted, or left for later). When it runs, and when
 * batches are put aside, is {@link SpoolPolicy}'s; the spool's bound, {@link Spool}'s.
 */
final class SpoolReplay {

    private final Spool spool;
    private final SpoolPolicy policy;
    private final BatchDelivery batches;
    private final RetryingSender retrying;
    private final Ledger ledger;
    private final RawBuffers raw;
    private final StopSignal stop;
    /** Whether the spool's next record waits for a retry: the next pass sends it first, outage or not. */
    private boolean waiting;

    SpoolReplay(SpoolPolicy policy, BatchDelivery batches, RetryingSender retrying, Ledger ledger, RawBuffers raw, StopSignal stop) {
        this.policy = policy;
        this.spool = policy.spool();
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
     * ({@link SpoolPolicy#probeDue}): with no new call to try, the server's return would otherwise
     * go unnoticed. The file being written is closed for it, so that its records can be read.
     *
     * @return false if a record waits for a retry: it stays the spool's next
     */
    boolean run(boolean last) {
        waiting = false;
        boolean probing = policy.spooling();
        if (probing) {
            if (!policy.probeDue()) {
                return true;
            }
            spool.closeWritingQuietly();
        }
        for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
            boolean own = spool.isOwn();
            Sent sent = probing ? retrying.attempt(record.bytes(), 0, record.length())
                    : retrying.send(record.bytes(), 0, record.length());
            if (probing) {
                policy.probed(sent != Sent.PUT_ASIDE);
                probing = false;
            }
            if (sent == Sent.RETRY_LATER) {
                waiting = true;
                return false;
            }
            if (sent == Sent.PUT_ASIDE || sent == Sent.GAVE_UP) {
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
            policy.spoolingEnds(); // nothing in the spool to probe with: batches are tried again, as without one
        }
        return true;
    }

    /** Whether a pass is to run this step now ({@link SpoolPolicy#replayDue}). */
    boolean due(boolean inOutage) {
        return policy.replayDue(inOutage, waiting);
    }
}
