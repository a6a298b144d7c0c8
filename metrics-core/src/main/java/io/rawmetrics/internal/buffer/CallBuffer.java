package io.rawmetrics.internal.buffer;

/**
 * Where a recording thread stores its finished calls: its own {@link ThreadBuffer} once it has
 * made enough calls to be worth one, a buffer shared with other threads before that
 * ({@link FirstCalls}). Called only by the thread the instance belongs to; never blocks, never throws.
 *
 * <p>In the aggregated mode the instance is also the thread's state the woven code holds between
 * a call's start and its end ({@link io.rawmetrics.internal.aggregate.Aggregator#entered()}): {@link #depth} tells requests, the
 * outermost calls, from the calls they make, and a nested call is stored with its outcome wrapped
 * in {@link Nested}. Requests, the common case, store nothing more than a raw call does.
 */
public abstract class CallBuffer {

    /** Aggregated mode: the owner's timed calls under way. The owner's only. */
    public int depth;
    /** Where an aggregated call that finds the buffer full is counted; {@code null} unless calls are aggregated. */
    final Overflow overflow;

    CallBuffer(Overflow overflow) {
        this.overflow = overflow;
    }

    /**
     * Where an aggregated call that finds the buffer full is counted instead, so that it is never
     * dropped: the aggregated mode's recorder ({@link io.rawmetrics.internal.aggregate.Aggregator#overflowed}). An interface, so
     * that the buffers know nothing of the aggregated mode.
     */
    public interface Overflow {
        void overflowed(CallBuffer buffer, Object site, long startNanos, long endNanos, Object error, boolean request);
    }

    /**
     * Stores one call, or counts it as dropped because the buffer is full.
     *
     * @return whether it was stored
     */
    public abstract boolean append(Object site, long startNanos, long endNanos, Object error);

    /** A call {@link #append} counted as dropped was kept another way after all (see {@link io.rawmetrics.internal.aggregate.Aggregator}). */
    public abstract void uncountDrop();

    /**
     * Stores something that is not a call, for the writer to read in order with the calls: where a
     * shared buffer's calls of a thread start ({@link FirstCalls}), a request's server or queue time
     * ({@link RequestTime}). Not counted as a call, recorded or dropped.
     */
    public abstract void appendMark(Object mark, long startNanos, long endNanos);

    /** The buffer the owner stores into now: this one, or the one it moved on to. */
    CallBuffer current() {
        return this;
    }

    /**
     * Aggregated mode: a call {@link io.rawmetrics.internal.aggregate.Aggregator#entered()} on this buffer ends. Never below zero: a
     * call entered before this recorder started ends as a request.
     */
    public final void exit(Object site, long startNanos, long endNanos, Object error) {
        CallBuffer buffer = current();
        int d = buffer.depth - 1;
        buffer.depth = d > 0 ? d : 0;
        buffer.store(site, startNanos, endNanos, error, d <= 0);
    }

    /** Aggregated mode: a call ends here; {@code request} says whether it was outermost where it started. */
    public final void store(Object site, long startNanos, long endNanos, Object error, boolean request) {
        if (!append(site, startNanos, endNanos, request ? error : Nested.of(error))) {
            overflow.overflowed(this, site, startNanos, endNanos, error, request);
        }
    }

    /** Aggregated mode: a call entered here returned something that ends later; whether it was a request. */
    public final boolean leave() {
        CallBuffer buffer = current();
        int d = buffer.depth - 1;
        buffer.depth = d > 0 ? d : 0;
        return d <= 0;
    }
}
