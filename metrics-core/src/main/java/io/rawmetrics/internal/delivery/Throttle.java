package io.rawmetrics.internal.delivery;

/**
 * At most one message per period for a repeated event, with the count of the events it stood for:
 * the library's outages, refusals and losses must be said, never flood a log. Not thread-safe:
 * each is used by one thread (the writer).
 */
public final class Throttle {

    private final long periodNanos;
    private long last;
    private boolean said;
    private int since;

    public Throttle(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    /**
     * One event happens now: whether to say so. If it returns true, {@link #eventsSaid()} is how
     * many events (this one included) the message stands for.
     */
    public boolean sayNow() {
        since++;
        long now = System.nanoTime();
        if (said && now - last < periodNanos) {
            return false;
        }
        said = true;
        last = now;
        return true;
    }

    /** Whether a message could be said now, without counting an event (for what is said only if it changed). */
    public boolean due() {
        return !said || System.nanoTime() - last >= periodNanos;
    }

    /** The events the message being said stands for; counting starts again. */
    public int eventsSaid() {
        int events = since;
        since = 0;
        return events;
    }

    /** Nanoseconds since the last message, or -1 if none was said. */
    public long sinceLast() {
        return said ? System.nanoTime() - last : -1;
    }

    /** A message was said now without {@link #sayNow} (a periodic report). */
    public void saidNow() {
        said = true;
        last = System.nanoTime();
        since = 0;
    }
}
