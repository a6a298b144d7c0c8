package io.rawmetrics.internal.delivery;

import io.rawmetrics.internal.LibraryLog;
import java.time.Duration;

/**
 * An outage, said twice: one warning when writes start to fail with the server unavailable, and
 * one line when a write works again, with how long it lasted, how many attempts failed and how
 * many calls were dropped meanwhile. Writer thread only.
 */
final class OutageLog {

    private final RetryingSender.Backlog backlog;
    private final int bufferCapacity;
    /** When the outage began ({@code System.nanoTime}); 0 if none is under way. */
    private long startNanos;
    private long failedWritesAtStart;
    private long droppedAtStart;

    OutageLog(RetryingSender.Backlog backlog, int bufferCapacity) {
        this.backlog = backlog;
        this.bufferCapacity = bufferCapacity;
    }

    boolean underWay() {
        return startNanos != 0;
    }

    /** A write failed, the server unavailable; {@code failedWrites} counts it. */
    void failed(String server, LineSender.WriteException e, long failedWrites) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
            failedWritesAtStart = failedWrites - 1;
            droppedAtStart = backlog.dropped();
            LibraryLog.LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot write to " + server
                    + " (" + e.getMessage() + "); keeping up to " + bufferCapacity + " points and retrying");
        }
    }

    /** A write worked. */
    void written(String url, long failedWrites) {
        if (startNanos != 0) {
            LibraryLog.LOG.log(System.Logger.Level.INFO, "rawmetrics: writing to " + url
                    + " works again after " + Duration.ofNanos(System.nanoTime() - startNanos)
                    + "; " + (failedWrites - failedWritesAtStart) + " attempts failed meanwhile, "
                    + (backlog.dropped() - droppedAtStart) + " calls were dropped, "
                    + backlog.waiting() + " points are waiting to be written");
            startNanos = 0;
        }
    }
}
