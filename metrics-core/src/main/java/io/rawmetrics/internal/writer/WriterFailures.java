package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.delivery.StopSignal;
import java.time.Duration;

/**
 * How the writer says its own failures: the first logged with its stack trace, one that repeats
 * at most once a minute with its count; on standard error at exit, where java.util.logging may be
 * gone, and when the thread dies, since logging itself may be what failed.
 */
final class WriterFailures {

    private static final long INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final StopSignal stop;
    private final Throttle reports = new Throttle(INTERVAL_NANOS);

    WriterFailures(StopSignal stop) {
        this.stop = stop;
    }

    /** A pass failed of {@code bug}, losing {@code lost} points of the batch it was writing; {@code last}: the stop's pass. */
    void passFailed(Throwable bug, boolean last, long lost) {
        if (!reports.sayNow()) {
            return;
        }
        long failures = reports.eventsSaid();
        String again = failures > 1 ? " (" + failures + " failed passes since the last report)" : "";
        String cost = last ? "; it was the stop's last pass: the calls it had not written are lost, and counted"
                : lost > 0 ? "; " + lost + " points of the batch it was writing are dropped, and it goes on"
                : "; it goes on, and the calls it was reading wait for its next pass";
        String message = "rawmetrics: the writer failed" + again + cost;
        if (stop.atExit()) {
            System.err.println(message + ": " + bug);
            bug.printStackTrace();
        } else {
            LibraryLog.LOG.log(System.Logger.Level.ERROR, message, bug);
        }
    }

    /** The writer thread ends of {@code fatal}: every call not written yet, and every later one, is lost. */
    void died(Throwable fatal) {
        System.err.println("rawmetrics: the writer thread ended; no timed call will be written from now on,"
                + " and those not yet written are lost (see RawMetrics.stats()):");
        fatal.printStackTrace();
    }
}
