package io.rawmetrics.internal;

import java.time.Instant;

/**
 * The two clocks a timed call needs, kept apart as in Micrometer's {@code Clock}.
 *
 * <p>{@link #monotonicNanos()} measures durations: it never jumps, but its zero is arbitrary.
 * {@link #wallTimeNanos()} stamps points: nanoseconds since the epoch, subject to NTP steps.
 * The hot path reads {@code System.nanoTime()} directly; this interface exists so the drainer's
 * conversion from monotonic to wall time can be driven by tests.
 */
public interface Clock {

    Clock SYSTEM = new Clock() {
        @Override
        public long wallTimeNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }
    };

    /** Nanoseconds since 1970-01-01T00:00Z. */
    long wallTimeNanos();

    /** Same time base as {@code System.nanoTime()}. */
    long monotonicNanos();
}
