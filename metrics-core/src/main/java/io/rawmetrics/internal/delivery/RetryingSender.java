package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.LibraryLog;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Sending as the writer does it: again and again while the server is unavailable, with capped
 * exponential back-off and jitter, until a stop's deadline; again after an interrupt broke the
 * write (the application is ending, not a reason to give up); once more after creating the
 * database when the server says it is missing. An outage is logged when it starts and when it
 * ends. While it waits, it lets the writer do what must not wait ({@code whileWaiting}: read the
 * aggregated calls, say what is being dropped).
 *
 * <p><b>Prompt recovery.</b> No wait is longer than {@code rawmetrics.retry-max-interval} (5 s by
 * default): the retry is the probe, and against a server that is down it costs a refused
 * connection. A stop, or a flush asked for while a retry waits, ends the wait at once: a program
 * that ends, or a test that flushes, does not wait out a back-off while the server may be back;
 * after a stop the back-off starts again from its first step, so that the deadline is used for
 * attempts, not for waiting.
 *
 * <p>Writer thread only; the counters may be read from any thread.
 */
public final class RetryingSender {

    private static final System.Logger LOG = LibraryLog.LOG;
    private static final long FIRST_RETRY_NANOS = Duration.ofMillis(100).toNanos();
    /** What {@link #once} returns for a write an interrupt broke. */
    private static final LineSender.WriteException INTERRUPTED =
            new LineSender.WriteException("interrupted", LineSender.Failure.UNAVAILABLE, null);
    /** How often {@code whileWaiting} runs while a retry waits. */
    private static final long WHILE_WAITING_NANOS = Duration.ofMillis(10).toNanos();

    /** What the writer wants, asked every few milliseconds while a retry waits. */
    public enum Next {
        /** Wait on. */
        WAIT,
        /** Make the next attempt now: a flush was asked for. */
        ATTEMPT_NOW,
        /** Stop waiting and hand the bytes back to be put aside in the spool: the memory buffer is filling. */
        PUT_ASIDE
    }

    /** Runs while a retry waits: the writer's work that must not wait (see the constructor). */
    @FunctionalInterface
    public interface WhileWaiting {
        Next run();
    }

    /** How a wait between attempts ended. */
    private enum Waited {
        /** The back-off is over. */
        OUT,
        /** A stop or a flush asks for an attempt now. */
        HURRIED,
        /** The writer puts the bytes aside. */
        PUT_ASIDE,
        /** The stop's deadline has passed: give up. */
        PAST_DEADLINE
    }

    /** What the writer holds, for the messages that end an outage. */
    public interface Backlog {
        /** Calls dropped so far. */
        long dropped();

        /** Points waiting to be written. */
        long waiting();
    }

    /** What became of bytes given to {@link #send}. */
    public static final class Sent {
        /** The server took them. */
        public static final Sent TAKEN = new Sent(null);
        /** A stop's deadline passed before the server took them. */
        public static final Sent GAVE_UP = new Sent(null);
        /** The server is unavailable and the writer asked for them back, to put them aside in the spool. */
        public static final Sent PUT_ASIDE = new Sent(null);

        private final LineSender.WriteException answer;

        private Sent(LineSender.WriteException answer) {
            this.answer = answer;
        }

        /** The server refused the request, found it too large, or some of its points bad: never sent again. */
        static Sent answered(LineSender.WriteException answer) {
            return new Sent(answer);
        }

        /** The server's answer, if it {@link #answered}; else {@code null}. */
        public LineSender.WriteException answer() {
            return answer;
        }
    }

    private final LineSender sender;
    private final RawMetricsConfig config;
    private final StopSignal stop;
    private final WhileWaiting whileWaiting;
    private final long maxRetryNanos;
    /** Whether a wait was already cut short for the stop under way (once: then the back-off runs again). */
    private boolean hurriedForStop;
    private volatile long failedWrites;
    private volatile long retries;
    /** What the last write said of the server, for health checks on other threads. */
    private volatile WriteState state = WriteState.NOT_YET;
    private final OutageLog outage;

    /**
     * @param whileWaiting runs every few milliseconds while a retry waits, and says whether to wait
     *                     on, make the next attempt now (a flush), or hand the bytes back (the spool)
     */
    public RetryingSender(LineSender sender, RawMetricsConfig config, StopSignal stop, WhileWaiting whileWaiting,
            Backlog backlog) {
        this.sender = sender;
        this.config = config;
        this.stop = stop;
        this.whileWaiting = whileWaiting;
        this.outage = new OutageLog(backlog, config.bufferCapacity());
        this.maxRetryNanos = config.retryMaxInterval().toNanos();
    }

    /** Sends {@code length} bytes; see the class comment. */
    public Sent send(byte[] bytes, int offset, int length) {
        long backoff = FIRST_RETRY_NANOS;
        boolean recreated = false;
        while (true) {
            LineSender.WriteException e = once(bytes, offset, length);
            if (e == null) {
                return Sent.TAKEN;
            }
            if (e == INTERRUPTED) {
                if (stop.pastDeadline()) {
                    return Sent.GAVE_UP;
                }
            } else if (e.failure() == LineSender.Failure.UNAVAILABLE) {
                Waited waited = waitFor(backoff);
                if (waited == Waited.PAST_DEADLINE) {
                    return Sent.GAVE_UP;
                }
                if (waited == Waited.PUT_ASIDE) {
                    return Sent.PUT_ASIDE;
                }
                backoff = nextBackoff(waited, backoff);
                retries++;
            } else if (e.failure() == LineSender.Failure.REFUSED && sender.targetMissing(e) && config.createDatabase()
                    && !recreated) {
                // Dropped while we were running (or never created): create it, send the same bytes again.
                recreated = true;
                createDatabase();
            } else {
                return Sent.answered(e);
            }
        }
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

    /** Runs CREATE DATABASE, retrying while the server is unreachable; points wait in the buffer meanwhile. */
    public void createDatabase() {
        long backoff = FIRST_RETRY_NANOS;
        boolean warned = false;
        while (true) {
            try {
                sender.createDatabase();
                state = state.written(System.currentTimeMillis());
                if (warned) {
                    LOG.log(System.Logger.Level.INFO, "rawmetrics: " + server(false) + " answers again");
                }
                return;
            } catch (LineSender.WriteException e) {
                if (interruptedBy(e)) {
                    if (stop.pastDeadline()) {
                        return;
                    }
                    continue;
                }
                state = state.answered(e, System.currentTimeMillis());
                if (!e.retryable()) {
                    LOG.log(System.Logger.Level.ERROR, "rawmetrics: " + server(true) + ": " + e.getMessage());
                    return;
                }
                if (!warned) {
                    warned = true;
                    LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot reach " + server(false)
                            + " to create database " + config.database() + " (" + e.getMessage() + "); keeping up to "
                            + config.bufferCapacity() + " points and retrying");
                }
                Waited waited = waitFor(backoff);
                if (waited == Waited.PAST_DEADLINE || waited == Waited.PUT_ASIDE) {
                    return; // created when a write finds it missing
                }
                backoff = nextBackoff(waited, backoff);
            }
        }
    }

    /** Whether a stop has begun. */
    public boolean stopping() {
        return stop.stopping();
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

    /** The back-off after a wait that ended as {@code waited}. */
    private long nextBackoff(Waited waited, long backoff) {
        return waited == Waited.HURRIED ? FIRST_RETRY_NANOS : Math.min(maxRetryNanos, backoff * 2);
    }

    /**
     * Waits about {@code nanos}, at most the configured maximum (with jitter, so that many
     * processes don't retry in step); less if a stop or a flush asks for an attempt now, or the
     * stop's deadline comes first. Runs {@code whileWaiting} every {@link #WHILE_WAITING_NANOS}.
     */
    private Waited waitFor(long nanos) {
        long wait = Math.min(nanos, maxRetryNanos);
        long deadline = System.nanoTime() + wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        while (true) {
            stop.noticeInterrupt();
            long now = System.nanoTime();
            if (stop.stopping()) {
                if (now - stop.deadline() >= 0) {
                    return Waited.PAST_DEADLINE;
                }
                if (!hurriedForStop) {
                    hurriedForStop = true;
                    return Waited.HURRIED;
                }
                deadline = Math.min(deadline, stop.deadline());
            }
            if (now - deadline >= 0) {
                return Waited.OUT;
            }
            Next next = whileWaiting.run();
            if (next == Next.ATTEMPT_NOW) {
                return Waited.HURRIED;
            }
            if (next == Next.PUT_ASIDE) {
                return Waited.PUT_ASIDE;
            }
            LockSupport.parkNanos(this, Math.min(deadline - now, WHILE_WAITING_NANOS));
        }
    }
}
