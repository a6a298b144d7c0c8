package io.rawmetrics.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * When to say a repeated event: at most once per period, or once ever ({@link #once()}), with the
 * count of the events the message stands for. The library's outages, refusals, losses and
 * warnings must be said, never flood a log. Any thread may use one: an event that is not said
 * costs a counter and a volatile read (no lock, and no clock read for {@code once}), so that
 * callers' threads meeting the same warning again and again do not queue for it.
 */
public final class Throttle {

    private static final long FOREVER = Long.MAX_VALUE;

    private final long periodNanos;
    private final LongAdder since = new LongAdder();
    /** When the last message was said ({@code System.nanoTime}); valid once {@link #said}. */
    private volatile long last;
    private volatile boolean said;

    public Throttle(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /** A message said the first time only. */
    public static Throttle once() {
        return new Throttle(FOREVER);
    }

    /**
     * One event happens now: whether to say so. If it returns true, {@link #eventsSaid()} is how
     * many events (this one included) the message stands for. Of threads that meet an event at
     * once, one is told to say it.
     */
    public boolean sayNow() {
        since.increment();
        if (said && (periodNanos == FOREVER || System.nanoTime() - last < periodNanos)) {
            return false;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (said && (periodNanos == FOREVER || now - last < periodNanos)) {
                return false;
            }
            last = now;
            said = true;
            return true;
        }
    }

    /** Whether a message could be said now, without counting an event (for what is said only if it changed). */
    public boolean due() {
        return !said || periodNanos != FOREVER && System.nanoTime() - last >= periodNanos;
    }

    /** The events the message being said stands for; counting starts again. */
    public long eventsSaid() {
        return since.sumThenReset();
    }

    /** Nanoseconds since the last message, or -1 if none was said. */
    public long sinceLast() {
        return said ? System.nanoTime() - last : -1;
    }

    /** A message was said now without {@link #sayNow} (a periodic report). */
    public synchronized void saidNow() {
        last = System.nanoTime();
        said = true;
        since.reset();
    }
}
