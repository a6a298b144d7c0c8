package io.rawmetrics.internal;

/**
 * Where a recording thread stores its finished calls: its own {@link ThreadBuffer} once it has
 * made enough calls to be worth one, a buffer shared with other threads before that
 * ({@link FirstCalls}). Called only by the thread the instance belongs to; never blocks, never throws.
 */
abstract class CallBuffer {

    abstract void append(Object site, long startNanos, long endNanos, Object error);
}
