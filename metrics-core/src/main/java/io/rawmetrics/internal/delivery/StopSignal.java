package io.rawmetrics.internal.delivery;

import java.time.Duration;

/**
 * Whether the writer is to stop, and by when it must have written what it holds: set by a stop
 * ({@link io.rawmetrics.internal.writer.Pipeline#shutdown}), or by an interrupt of the writer thread (the application is ending:
 * see {@link io.rawmetrics.internal.writer.Pipeline}'s class comment), which starts a stop with the configured deadline. Any
 * thread may read it; the first stop's deadline holds.
 */
public final class StopSignal {

    private final Duration onInterrupt;
    private volatile boolean stopping;
    private volatile long deadline;
    /** How long the stop under way, if any, has to write what is left: for what it reports. */
    private volatile Duration timeout;
    /** Whether the stop is the JVM's shutdown hook's, when java.util.logging may be gone: say things on standard error. */
    private volatile boolean atExit;

    /** {@code onInterrupt}: the deadline an interrupt of the writer gives itself. */
    public StopSignal(Duration onInterrupt) {
        this.onInterrupt = onInterrupt;
    }

    /** Asks for a stop within {@code within}, unless one is under way. */
    public void request(Duration within) {
        if (!stopping) {
            timeout = within;
            deadline = System.nanoTime() + within.toNanos();
            stopping = true;
        }
    }

    /** The stop about to be asked for is the shutdown hook's; see {@link #atExit()}. */
    public void requestAtExit(Duration within) {
        atExit = true;
        request(within);
    }

    /** Whether this is the JVM's shutdown hook's stop: what the writer has to say goes to standard error. */
    public boolean atExit() {
        return atExit;
    }

    public boolean stopping() {
        return stopping;
    }

    /** Whether a stop is under way and its deadline has passed. */
    boolean pastDeadline() {
        return stopping && System.nanoTime() - deadline >= 0;
    }

    /** The stop's deadline, as a {@code System.nanoTime()}; meaningful while {@link #stopping()}. */
    long deadline() {
        return deadline;
    }

    /** How long the stop under way had, or the interrupt's deadline if none is. */
    public Duration timeout() {
        Duration within = timeout;
        return within != null ? within : onInterrupt;
    }

    /**
     * The writer thread: an interrupt of it starts a stop, unless one is under way, and is cleared,
     * so that the writes still to come are not broken by it.
     */
    public void noticeInterrupt() {
        if (Thread.interrupted()) {
            request(onInterrupt);
        }
    }
}
