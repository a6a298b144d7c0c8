package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sending as the writer does it: again while the server is unavailable, with capped exponential
 * back-off and jitter, until a stop's deadline; again at once after an interrupt broke the write
 * (the application is ending, not a reason to give up); once more after creating the database
 * when the server says it is missing. An outage is logged when it starts and when it ends.
 *
 * <p><b>It never waits.</b> A send the server could not take returns {@link Sent#RETRY_LATER}: the
 * step that made it keeps its bytes and sends them again on a later pass, and the writer's loop
 * does the waiting ({@link #nanosUntilRetry}), doing meanwhile what must not wait. So the writer is
 * never re-entered from inside a send, and the retry policy knows nothing of what the writer does.
 *
 * <p><b>Prompt recovery.</b> No wait is longer than {@code rawmetrics.retry-max-interval} (5 s by
 * default): the retry is the probe, and against a server that is down it costs a refused
 * connection. A stop, or a flush asked for while a retry waits ({@link #retryNow}), ends the wait
 * at once: a program that ends, or a test that flushes, does not wait out a back-off while the
 * server may be back; after a stop the back-off starts again from its first step, so that the
 * deadline is used for attempts, not for waiting.
 *
 * <p>Writer thread only; the counters may be read from any thread.
 */
public final class RetryingSender {

    private static final System.Logger LOG = LibraryLog.LOG;
    private static final long FIRST_RETRY_NANOS = Duration.ofMillis(100).toNanos();
    /** What {@link #once} returns for a write an interrupt broke. */
    private static final LineSender.WriteException INTERRUPTED =
            new LineSender.WriteException("interrupted", LineSender.Failure.UNAVAILABLE, null);

    /** What the writer holds, for the messages that end an outage. */
    public interface Backlog {
        /** Calls dropped so far. */
        long dropped();

        /** Points waiting to be written. */
        long waiting();
    }

    private final LineSender sender;
    private final RawMetricsConfig config;
    private final StopSignal stop;
    private final long maxRetryNanos;
    /** Whether bytes are waiting for a retry: a send returned {@link Sent#RETRY_LATER} and none has settled since. */
    private boolean retryPending;
    /** When the retry is due ({@link System#nanoTime}), while one is pending. */
    private long retryAtNanos;
    /** The next wait's length, before jitter: doubles after each failed retry, up to the maximum. */
    private long backoffNanos = FIRST_RETRY_NANOS;
    /** Whether the writer asked for the pending bytes back, to put them in the spool ({@link #putAsideNext}). */
    private boolean putAsideRequested;
    /** Whether the database was created for the bytes pending already: once per bytes, not again and again. */
    private boolean recreated;
    /** Whether a wait was already cut short for the stop under way (once: then the back-off runs again). */
    private boolean hurriedForStop;
    /** Whether the start's CREATE DATABASE is said to be waiting for the server, so that its return is said too. */
    private boolean creationWarned;
    private volatile long failedWrites;
    private volatile long retries;
    /** What the last write said of the server, for health checks on other threads. */
    private volatile WriteState state = WriteState.NOT_YET;
    private final OutageLog outage;

    public RetryingSender(LineSender sender, RawMetricsConfig config, StopSignal stop, Backlog backlog) {
        this.sender = sender;
        this.config = config;
        this.stop = stop;
        this.outage = new OutageLog(backlog, config.bufferCapacity());
        this.maxRetryNanos = config.retryMaxInterval().toNanos();
    }

    /**
     * Sends {@code length} bytes, unless they are pending and the writer asked for them back or
     * the stop's deadline passed; see the class comment. A caller given {@link Sent#RETRY_LATER}
     * sends the same bytes again, first, once the retry is due.
     */
    public Sent send(byte[] bytes, int offset, int length) {
        if (retryPending) {
            if (putAsideRequested) {
                return done(Sent.PUT_ASIDE);
            }
            if (stop.pastDeadline()) {
                return done(Sent.GAVE_UP);
            }
            retries++;
        }
        while (true) {
            LineSender.WriteException e = once(bytes, offset, length);
            if (e == null) {
                backoffNanos = FIRST_RETRY_NANOS;
                return done(Sent.TAKEN);
            }
            if (e == INTERRUPTED) {
                if (stop.pastDeadline()) {
                    return done(Sent.GAVE_UP);
                }
            } else if (e.failure() == LineSender.Failure.UNAVAILABLE) {
                return retryLater();
            } else if (e.failure() == LineSender.Failure.REFUSED && sender.targetMissing(e) && config.createDatabase()
                    && !recreated) {
                // Dropped while we were running (or never created): create it, send the same bytes again.
                Sent created = createDatabase();
                if (created == Sent.RETRY_LATER) {
                    return created;
                }
                if (created == Sent.GAVE_UP) {
                    return done(created);
                }
                recreated = true;
            } else {
                return done(Sent.answered(e));
            }
        }
    }

    /** The bytes of a {@link #send} are settled as {@code sent}. */
    private Sent done(Sent sent) {
        settled();
        recreated = false;
        return sent;
    }

    /**
     * The server could not take the bytes: a retry is pending, due after the back-off (with
     * jitter, so that many processes don't retry in step), or {@link Sent#GAVE_UP} if the stop's
     * deadline has passed.
     */
    private Sent retryLater() {
        long now = System.nanoTime();
        if (stop.stopping() && now - stop.deadline() >= 0) {
            return done(Sent.GAVE_UP);
        }
        long wait = Math.min(backoffNanos, maxRetryNanos);
        retryAtNanos = now + wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        backoffNanos = Math.min(maxRetryNanos, backoffNanos * 2);
        retryPending = true;
        return Sent.RETRY_LATER;
    }

    /** What was pending, if anything, is settled: taken, answered, given up or handed back. */
    private void settled() {
        retryPending = false;
        putAsideRequested = false;
    }

    /** Whether bytes wait for a retry: the writer's loop waits for it ({@link #nanosUntilRetry}) before its next pass. */
    public boolean retryPending() {
        return retryPending;
    }

    /**
     * How long until the pending retry is due; 0 or less when it is: its back-off is over, a stop
     * began (the first wait after it is cut short, then the back-off runs again, up to the stop's
     * deadline), or the stop's deadline passed (the next send gives up).
     */
    public long nanosUntilRetry() {
        if (!retryPending) {
            return 0;
        }
        long now = System.nanoTime();
        if (stop.stopping()) {
            if (now - stop.deadline() >= 0) {
                return 0;
            }
            if (!hurriedForStop) {
                hurriedForStop = true;
                retryNow();
                return 0;
            }
            if (retryAtNanos - stop.deadline() > 0) {
                retryAtNanos = stop.deadline();
            }
        }
        return retryAtNanos - now;
    }

    /** The pending retry is due now (a flush was asked for), and the back-off starts again from its first step. */
    public void retryNow() {
        retryAtNanos = System.nanoTime();
        backoffNanos = FIRST_RETRY_NANOS;
    }

    /** The writer will put the pending bytes aside in the spool: their next send hands them back without an attempt. */
    public void putAsideNext() {
        putAsideRequested = true;
    }

    /**
     * The bytes handed back ({@link Sent#PUT_ASIDE}) could not be put aside after all (the spool
     * takes nothing now): they wait for a retry again, due after the back-off.
     */
    public void keepRetrying() {
        retryPending = true;
        retryAtNanos = System.nanoTime() + Math.min(backoffNanos, maxRetryNanos);
    }

    /**
     * No retry is waited for any more: a pass completed (what a step left unsent, it sends at its
     * next turn), or failed (what was pending is lost with it, counted by the writer).
     */
    public void forgetPending() {
        done(null);
    }

    /**
     * One write: {@code null} if the server took it (an outage is then over), {@link #INTERRUPTED}
     * if an interrupt broke it (not a failure of the server), else why it failed, counted.
     */
    private LineSender.WriteException once(byte[] bytes, int offset, int length) {
        try {
            sender.send(bytes, offset, length);
            outage.written(config.url().toString(), failedWrites);
            state = state.written(System.currentTimeMillis());
            return null;
        } catch (LineSender.WriteException e) {
            if (interruptedBy(e)) {
                return INTERRUPTED;
            }
            failedWrites++;
            state = state.answered(e, System.currentTimeMillis());
            if (e.failure() == LineSender.Failure.UNAVAILABLE) {
                outage.failed(server(false), e, failedWrites);
            }
            return e;
        }
    }

    /**
     * Runs CREATE DATABASE once: {@link Sent#TAKEN} if it is there now, {@link Sent#RETRY_LATER}
     * while the server is unreachable (points wait in the buffer meanwhile), else the server's
     * answer (logged) or {@link Sent#GAVE_UP} (the stop's deadline, or the writer puts batches
     * aside): a write that finds the database missing creates it then.
     */
    public Sent createDatabase() {
        if (retryPending && (putAsideRequested || stop.pastDeadline())) {
            settled();
            return Sent.GAVE_UP;
        }
        while (true) {
            try {
                sender.createDatabase();
                state = state.written(System.currentTimeMillis());
                if (creationWarned) {
                    creationWarned = false;
                    LOG.log(System.Logger.Level.INFO, "rawmetrics: " + server(false) + " answers again");
                }
                settled();
                backoffNanos = FIRST_RETRY_NANOS;
                return Sent.TAKEN;
            } catch (LineSender.WriteException e) {
                if (interruptedBy(e)) {
                    if (stop.pastDeadline()) {
                        settled();
                        return Sent.GAVE_UP;
                    }
                    continue;
                }
                state = state.answered(e, System.currentTimeMillis());
                if (!e.retryable()) {
                    LOG.log(System.Logger.Level.ERROR, "rawmetrics: " + server(true) + ": " + e.getMessage());
                    settled();
                    return Sent.answered(e);
                }
                if (!creationWarned) {
                    creationWarned = true;
                    LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot reach " + server(false)
                            + " to create database " + config.database() + " (" + e.getMessage() + "); keeping up to "
                            + config.bufferCapacity() + " points and retrying");
                }
                return retryLater();
            }
        }
    }

    /** Whether the server has been unavailable since the last write. */
    public boolean inOutage() {
        return outage.underWay();
    }

    /** What the last write (or {@code CREATE DATABASE}) said of the server; readable on any thread. */
    public WriteState state() {
        return state;
    }

    /** Write attempts that failed, each retry counted. */
    public long failedWrites() {
        return failedWrites;
    }

    /** Batches sent again after a failed attempt. */
    public long retries() {
        return retries;
    }

    /** Whether the server's answer says the target database does not exist (the sender knows its server's words). */
    public boolean targetMissing(LineSender.WriteException e) {
        return sender.targetMissing(e);
    }

    /** The server as its sender names it, and with {@code withUser} the user if any (never the password), for log messages. */
    public String server(boolean withUser) {
        return sender.server() + (withUser && config.username() != null ? " (user " + config.username() + ")" : "");
    }

    /** The server's URL, and the user if any (never the password), for log messages. */
    public static String where(RawMetricsConfig config) {
        return config.url() + (config.username() == null ? "" : " (user " + config.username() + ")");
    }

    /** Whether {@code e} is an interrupt (see {@link StopSignal#noticeInterrupt()}) rather than a failure of the server. */
    private boolean interruptedBy(LineSender.WriteException e) {
        boolean interrupted = Thread.currentThread().isInterrupted()
                || e.getCause() != null && e.getCause().getClass() == InterruptedIOException.class;
        if (interrupted) {
            stop.noticeInterrupt();
            Thread.interrupted();
        }
        return interrupted;
    }

    /**
     * One attempt, without waiting: for a batch that goes to the spool unless the server takes it
     * (a probe while the writer puts batches aside). Unavailable is {@link Sent#PUT_ASIDE}.
     */
    public Sent attempt(byte[] bytes, int offset, int length) {
        LineSender.WriteException e = once(bytes, offset, length);
        if (e == null) {
            return Sent.TAKEN;
        }
        if (e == INTERRUPTED) {
            return Sent.PUT_ASIDE;
        }
        if (e.failure() == LineSender.Failure.UNAVAILABLE) {
            retries++;
            return Sent.PUT_ASIDE;
        }
        return Sent.answered(e);
    }
}
