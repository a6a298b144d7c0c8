package io.rawmetrics.internal;

/** A clock the test moves: wall time is {@code wallAtZero + monotonic}. */
public final class FakeClock implements Clock {

    final long wallAtZero;
    public long monotonic;

    public FakeClock(long wallAtZero) {
        this.wallAtZero = wallAtZero;
    }

    @Override
    public long wallTimeNanos() {
        return wallAtZero + monotonic;
    }

    @Override
    public long monotonicNanos() {
        return monotonic;
    }
}
