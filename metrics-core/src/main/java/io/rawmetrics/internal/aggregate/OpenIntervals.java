package io.rawmetrics.internal.aggregate;

import java.util.ArrayDeque;

/**
 * The intervals whose calls the writer is still reading: consecutive, from the end of the last one
 * written ({@link #closedUntil}) on. Interval ends are multiples of the aggregation interval since
 * the epoch; the first interval starts when the recorder does, and a flush ends the interval under
 * way early ({@link #closeAt}).
 *
 * <p>A call is counted in the interval in which it ended, whenever the writer reads it: an
 * interval is closed only once no call still to come can have ended in it (the writer's horizon,
 * see {@link io.rawmetrics.internal.buffer.ThreadBuffer#visited}). A call that comes later than that, stored by a thread stalled
 * for longer than the horizon's margin after reading its end time, is counted in the first interval
 * still open, and counted as {@link #lateCalls late}. Writer thread only.
 */
final class OpenIntervals {

    /** How many intervals ahead of the newest open one a call's end may lie; see {@link #find}. */
    private static final int MAX_AHEAD = 64;

    private final long intervalNanos;
    private final ArrayDeque<Interval> open = new ArrayDeque<>();
    private final ArrayDeque<Interval> recycled = new ArrayDeque<>();
    private long closedUntil;
    /** The interval the last call went to: calls come in runs that mostly end in one interval. */
    private Interval last;
    private long lateCalls;

    OpenIntervals(long intervalNanos, long startWall) {
        this.intervalNanos = intervalNanos;
        this.closedUntil = startWall;
    }

    /** The interval in which a call that ended at {@code endWall} is counted. */
    Interval at(long endWall) {
        Interval cached = last;
        if (cached != null && endWall >= cached.startWall && endWall < cached.endWall) {
            return cached;
        }
        Interval found = find(endWall);
        last = found;
        return found;
    }

    private Interval find(long endWall) {
        if (endWall < closedUntil) {
            lateCalls++;
            endWall = closedUntil;
        }
        for (Interval interval : open) {
            if (endWall < interval.endWall) {
                return interval;
            }
        }
        Interval newest = open.peekLast();
        long from = newest == null ? closedUntil : newest.endWall;
        if (endWall - from > MAX_AHEAD * intervalNanos) {
            endWall = from; // no call ends in the future: a clock gone wrong must not make intervals by the million
        }
        Interval made;
        do {
            made = make(from, boundaryAfter(from));
            open.addLast(made);
            from = made.endWall;
        } while (endWall >= from);
        return made;
    }

    /** Intervals open now. */
    int open() {
        return open.size();
    }

    /** Where the next interval to close ends: the first boundary after {@link #closedUntil}. */
    long nextEnd() {
        Interval first = open.peekFirst();
        return first != null ? first.endWall : boundaryAfter(closedUntil);
    }

    /**
     * The first open interval, taken out of the open ones: the caller writes its points, then
     * {@link #recycle}s it. One with no call is made when none is open, so that an interval with no
     * call is written too.
     */
    Interval closeNext() {
        Interval first = open.pollFirst();
        if (first == null) {
            first = make(closedUntil, boundaryAfter(closedUntil));
        }
        closedUntil = first.endWall;
        if (last == first) {
            last = null;
        }
        return first;
    }

    /**
     * A flush or a stop: the interval under way ends at {@code endWall}. Returns the open interval
     * that starts before it, cut there, or {@code null} if none does; call it until it returns null.
     * A call stored after this that ended before {@code endWall} is a late call.
     */
    Interval closeAt(long endWall) {
        Interval first = open.peekFirst();
        long start = first != null ? first.startWall : closedUntil;
        if (start >= endWall) {
            return null;
        }
        if ((first != null ? first.endWall : boundaryAfter(closedUntil)) <= endWall) {
            return closeNext();
        }
        Interval cut = first != null ? open.pollFirst() : make(closedUntil, endWall);
        cut.endWall = endWall;
        closedUntil = endWall;
        if (last == cut) {
            last = null;
        }
        return cut;
    }

    /**
     * An interval whose points are built, kept for the next one to be made: its histograms (37 KB a
     * series) are reset, not made again. One is enough: intervals are closed about as often as they
     * are opened.
     */
    void recycle(Interval interval) {
        if (recycled.isEmpty()) {
            recycled.add(interval);
        }
    }

    /** Calls read after their interval was written, counted in a later one. */
    long lateCalls() {
        return lateCalls;
    }

    private Interval make(long startWall, long endWall) {
        Interval interval = recycled.pollFirst();
        if (interval == null) {
            return new Interval(startWall, endWall);
        }
        interval.reset(startWall, endWall);
        return interval;
    }

    private long boundaryAfter(long wall) {
        return Math.floorDiv(wall, intervalNanos) * intervalNanos + intervalNanos;
    }
}
