package io.rawmetrics.internal.buffer;

/**
 * Where a recording thread stores its finished calls: its own {@link ThreadBuffer} once it has
 * made enough calls to be worth one, a buffer shared with other threads before that
 * ({@link FirstCalls}). Called only by the thread the instance belongs to; never blocks, never throws.
 */
public abstract class CallBuffer {

    CallBuffer() {
    }

    /**
     * Stores one call, or counts it as dropped because the buffer is full.
     *
     * @return whether it was stored
     */
    public abstract boolean append(Object site, long startNanos, long endNanos, Object error);

    /**
     * {@link #append} of a call that ran in a traced span, whose context {@code span} (never
     * {@code null}) the writer reads its ids from. Only for buffers made to keep spans
     * ({@link RawBuffers}' {@code withSpans}).
     */
    public abstract boolean appendInSpan(Object site, long startNanos, long endNanos, Object error, Object span);

    /** A call {@link #append} counted as dropped was kept another way after all (see {@link io.rawmetrics.internal.aggregate.Aggregator}). */
    public abstract void uncountDrop();

    /**
     * Stores something that is not a call, for the writer to read in order with the calls: where a
     * shared buffer's calls of a thread start ({@link FirstCalls}), a request's server or queue time
     * ({@link RequestTime}). Not counted as a call, recorded or dropped.
     */
    public abstract void appendMark(Object mark, long startNanos, long endNanos);

    /**
     * The buffer the owner stores into now: this one, or the one it moved on to. For a caller that
     * keeps the buffer across calls (the aggregated mode's per-thread state).
     */
    public CallBuffer current() {
        return this;
    }
}
