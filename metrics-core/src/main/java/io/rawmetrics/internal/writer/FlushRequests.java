package io.rawmetrics.internal.writer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flush handshake between the threads that ask for a flush and the writer that serves it:
 * each request gets a number, and a pass that started after it completes it. The writer ending
 * releases every waiting flush at once, rather than at its timeout.
 */
final class FlushRequests {

    private final AtomicLong requested = new AtomicLong();
    private final Object monitor = new Object();
    private volatile long completed;
    /** Set, under {@link #monitor}, as the writer thread ends: no flush is served after it. */
    private boolean ended;

    /** A flush is asked for: the number a pass must complete. */
    long request() {
        return requested.incrementAndGet();
    }

    /** The last flush asked for. */
    long requested() {
        return requested.get();
    }

    /** Whether a flush was asked for that no pass has completed yet. */
    boolean pending() {
        return requested.get() != completed;
    }

    /** Whether {@code target}, which a pass read as it started, is a flush not completed yet. */
    boolean serves(long target) {
        return target != completed;
    }

    /**
     * Waits until {@code target} is completed, at most {@code timeout}.
     *
     * @return whether it was completed in time
     */
    boolean await(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (completed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    return completed >= target;
                }
                try {
                    monitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** A pass that started when {@code target} was the last flush asked for is done. */
    void complete(long target) {
        synchronized (monitor) {
            completed = target;
            monitor.notifyAll();
        }
    }

    /** The writer ends: a flush still waiting returns now, not at its timeout. */
    void end() {
        synchronized (monitor) {
            ended = true;
            monitor.notifyAll();
        }
    }
}
