package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.buffer.CallBuffer;
import io.rawmetrics.internal.trace.Spans;

/**
 * One thread's state in the aggregated mode, which the woven code holds between a call's start and
 * its end ({@link Aggregator#entered()}): how many of the thread's timed calls are under way, which
 * tells a request (the outermost call) from the calls it makes, and the buffer its calls go to. A
 * nested call is stored with its outcome wrapped in {@link Nested}; a request, the common case,
 * stores what a raw call does. The owner's only: nothing here is shared.
 */
public final class CallsUnderWay {

    private final Aggregator aggregator;
    /** The owner's buffer: the one it was given first, or the one that buffer has moved on to. */
    private CallBuffer buffer;
    /** The owner's timed calls under way; never below zero, as a call entered before this recorder started ends as a request. */
    private int depth;

    CallsUnderWay(Aggregator aggregator, CallBuffer buffer, int underWayBefore) {
        this.aggregator = aggregator;
        this.buffer = buffer;
        this.depth = Math.max(0, underWayBefore);
    }

    void enter() {
        depth++;
    }

    /** A call {@link Aggregator#entered()} on this thread ends. */
    public void exit(Object site, long startNanos, long endNanos, Object error) {
        store(site, startNanos, endNanos, error, leave(), aggregator.keepsSpans ? Spans.current() : null);
    }

    /** A call entered on this thread returned something that ends later: whether it was a request. */
    public boolean leave() {
        int d = depth - 1;
        depth = d > 0 ? d : 0;
        return d <= 0;
    }

    /**
     * A call ends here; {@code request} says whether it was outermost where it started, {@code span}
     * is the span context it ran in, or {@code null}.
     */
    void store(Object site, long startNanos, long endNanos, Object error, boolean request, Object span) {
        CallBuffer into = buffer.current();
        if (into != buffer) {
            buffer = into; // the thread has a buffer of its own now
        }
        Object outcome = request ? error : Nested.of(error);
        boolean stored = span == null ? into.append(site, startNanos, endNanos, outcome)
                : into.appendInSpan(site, startNanos, endNanos, outcome, span);
        if (!stored) {
            aggregator.overflowed(into, site, startNanos, endNanos, error, request, span);
        }
    }

    /** Stores a mark (see {@link CallBuffer#appendMark}) in order with the thread's calls. */
    void appendMark(Object mark, long startNanos, long endNanos) {
        buffer.current().appendMark(mark, startNanos, endNanos);
    }
}
