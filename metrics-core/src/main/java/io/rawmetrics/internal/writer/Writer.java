package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.LibraryThreads;
import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.Sent;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolPolicy;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer thread, {@code rawmetrics-writer}: everything that is not recording a call happens
 * on it (encoding, aggregating, sending, retrying, creating the database, reporting losses).
 *
 * <p>Every flush interval, when enough chunks have filled to make a batch, on {@link #flush} and
 * on a stop, it makes a pass. While a batch cannot be delivered it keeps retrying that batch
 * ({@link RetryingSender}) and drains nothing else, so during an outage points wait in the compact
 * buffers (24 bytes each) rather than as encoded text; aggregated calls are read meanwhile once
 * the buffer is half full ({@link RawBatches#readAggregatedWhileWaiting}).
 *
 * <p>A pass runs its steps in order: {@link RawBatches} (the buffers drained into batches,
 * delivered by {@link BatchDelivery}), then {@link AggregateDelivery} (the aggregated mode's intervals),
 * {@link SpoolReplay}, {@link SelfMetrics} and {@link LossReport}; flushes are served through
 * {@link FlushRequests}. A send never waits: when the server cannot take its bytes, the step
 * keeps them and the pass ends there; the loop waits for the retry ({@link #awaitRetry}), doing
 * meanwhile what must not wait, and the next pass starts again from the top, that step's bytes
 * first. A flush is served by the first pass that completes after it was asked for.
 */
final class Writer {

    private final RawMetricsConfig config;
    private final LineSender sender;
    private final Clock clock;
    private final RawBuffers raw;
    private final RetryingSender retrying;
    private final StopSignal stop;
    private final SelfMetrics selfMetrics;
    private final Ledger ledger;
    private final long lateStoreNanos;
    /** The aggregated mode's intervals; null when every call is raw. */
    private final IntervalWriter intervals;
    private final Thread thread;
    /** Where batches are put aside during a long outage, and replayed from; {@code null} without one. */
    private final Spool spool;
    /** When the spool is used. */
    private final SpoolPolicy spooling;

    private final FlushRequests flushes = new FlushRequests();
    /** The steps of a pass: those after the raw batches null when they have nothing to do in this configuration. */
    private final RawBatches rawBatches;
    private final AggregateDelivery aggregates;
    private final SpoolReplay spoolReplay;
    private final LossReport lossReport;
    /** Whether the database is there, or was asked for at the start (CREATE DATABASE); a pass begins with it until then. */
    private boolean databaseChecked;
    /** The flush the aggregated intervals were last cut for, and whether for the stop: one cut each, however many passes a retry takes. */
    private long cutFor;
    private boolean cutForStop;
    /**
     * The flush the last pass served, read when it started: a wait for a retry is cut short for a
     * later one only (the pass that follows reads it, so each flush cuts one wait short).
     */
    private long passServes;

    private final WriterFailures failures;
    /** How often {@link #awaitRetry} looks at what must not wait. */
    private static final long WHILE_WAITING_NANOS = Duration.ofMillis(10).toNanos();

    /** The parts it drives; see {@link Pipeline}, which builds them. {@code intervals} is null when every call is raw. */
    Writer(RawMetricsConfig config, LineSender sender, Clock clock, RawBuffers raw, BatchEncoder encoder,
            BatchDelivery batches, RetryingSender retrying, StopSignal stop, SelfMetrics selfMetrics, Ledger ledger,
            IntervalWriter intervals, long lateStoreNanos, SpoolPolicy spooling) {
        this.config = config;
        this.sender = sender;
        this.clock = clock;
        this.raw = raw;
        this.retrying = retrying;
        this.stop = stop;
        this.selfMetrics = selfMetrics;
        this.ledger = ledger;
        this.intervals = intervals;
        this.lateStoreNanos = lateStoreNanos;
        this.spooling = spooling;
        this.spool = spooling.spool();
        this.aggregates = intervals == null ? null
                : new AggregateDelivery(intervals, clock, encoder, batches, spooling, retrying, ledger);
        this.rawBatches = new RawBatches(config, raw, encoder, batches, intervals == null ? null : intervals.sink(), aggregates);
        this.spoolReplay = spool == null ? null : new SpoolReplay(spooling, batches, retrying, ledger, raw, stop);
        this.lossReport = new LossReport(ledger, config, stop);
        this.failures = new WriterFailures(stop);
        // In a thread group of the library's own: see ExitWatch on mvn exec:java.
        this.thread = LibraryThreads.newThread(this::run, "rawmetrics-writer");
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Rare path (once per batch's worth of chunks filled, a flush, a stop): the writer has work. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /**
     * Waits until every call recorded before this method was called has been written (or given
     * up on), at most {@code timeout}.
     *
     * @return whether the flush completed in time
     */
    boolean flush(Duration timeout) {
        long target = flushes.request();
        wake();
        return flushes.await(target, timeout);
    }

    /**
     * The writer's life. It must outlive any failure of its own (a bug, an {@code OutOfMemoryError}
     * while encoding, a class its HTTP client cannot load): if it died, every later call would fill
     * the buffer and be dropped, unseen. A pass that fails is given up, what it lost counted
     * ({@link #passFailed}), and the next pass goes on. Only a failure of that handling itself ends
     * the thread, and that too is counted and said ({@link #died}).
     */
    private void run() {
        try {
            writeUntilStopped();
        } catch (Throwable fatal) {
            died(fatal);
        } finally {
            try {
                if (spool != null) {
                    spool.close();
                }
                sender.close();
            } catch (Throwable ignored) {
                // Nothing is left to write; a client that cannot close must not hide what came before.
            }
            flushes.end();
        }
    }

    private void writeUntilStopped() {
        while (true) {
            // Not before the first flush interval (or batch, flush, stop): making the HTTP clients
            // loads some 2,000 classes, half a second of a core on a cold JVM, which an
            // application's first requests would otherwise share their CPU with. The calls wait.
            if (retrying.retryPending()) {
                awaitRetry();
            } else {
                awaitWork(nextWakeUp());
            }
            stop.noticeInterrupt();
            boolean last = stop.stopping();
            long target = flushes.requested();
            passServes = target;
            boolean complete = true;
            try {
                complete = databaseChecked(last) && writePass(last, target);
                if (complete) {
                    ledger.passDone();
                    retrying.forgetPending(); // what a step left unsent it holds, and sends at its next turn
                }
            } catch (Throwable bug) {
                passFailed(bug, last);
            }
            if (complete) {
                flushes.complete(target);
                if (last) {
                    break;
                }
            }
        }
    }

    /**
     * Whether the pass may go on to the points: the database was asked for (CREATE DATABASE, once,
     * at the first pass), or need not be; false while the server cannot be reached for it.
     */
    private boolean databaseChecked(boolean last) {
        if (!databaseChecked) {
            // A recorder stopped before its first flush with nothing to write (an application context
            // closed at once, a test) need not reach the server: if it is away, that would hold up
            // the stop for its whole timeout.
            boolean nothingToWrite = last && raw.recorded() == 0 && spool == null;
            if (config.createDatabase() && !nothingToWrite && retrying.createDatabase() == Sent.RETRY_LATER) {
                return false;
            }
            databaseChecked = true;
        }
        return true;
    }

    /**
     * One pass: every buffer drained and sent, the intervals closed and sent, the spool replayed,
     * the self-metrics.
     *
     * @return false if it ended early, a step's bytes waiting for a retry
     */
    private boolean writePass(boolean last, long target) {
        boolean flushing = flushes.serves(target);
        if (flushing) {
            spooling.probeNow(); // the server may be back: try it now rather than put everything aside
        }
        if (!rawBatches.run()) {
            return false;
        }
        raw.retireDeadThreads();
        if (aggregates != null && !aggregates.run(cutNow(last, flushing, target), last, rawBatches.horizonNanos())) {
            return false;
        }
        if (spoolReplay != null && spoolReplay.due(retrying.inOutage()) && !spoolReplay.run(last)) {
            return false;
        }
        if (config.selfMetrics() && !retrying.inOutage()) {
            selfMetrics.writeIfDue(last || flushing, ledger, retrying);
        }
        if (!last) {
            lossReport.run();
        }
        return true;
    }

    /**
     * Whether the aggregated interval under way is to be cut now: for a flush (so that it holds the
     * calls before it) and for the stop, once each, not again at every pass a retry takes.
     */
    private boolean cutNow(boolean last, boolean flushing, long target) {
        boolean cut = last ? !cutForStop : flushing && target != cutFor;
        if (cut) {
            cutFor = target;
            cutForStop = last;
        }
        return cut;
    }

    /**
     * A pass failed: the points of the batch it was writing, if any, are lost and counted with
     * the cause; the buffers' chunks it held go back to the pool, and the next pass goes on. (The
     * calls of a run the encoder failed on stay in their buffer: a buffer moves past a run only once
     * the sink took it.) The first failure is logged with its stack trace, a failure that repeats
     * at most once a minute with its count, and the summary at the stop names the cause.
     */
    private void passFailed(Throwable bug, boolean last) {
        long lost = rawBatches.passFailed();
        ledger.writerFailed(lost, bug);
        failures.passFailed(bug, last, lost);
    }

    /**
     * The writer thread ends of a failure its own handling could not survive (out of memory, or the
     * application's class loader closed under it). Every call not written yet, and every later one,
     * is lost: counted with this cause ({@link Ledger#writerDied}) and said, in the plainest way there
     * is, since logging itself may be what failed.
     */
    private void died(Throwable fatal) {
        try {
            ledger.writerDied(fatal);
        } finally {
            failures.died(fatal);
        }
    }

    private void awaitWork(long deadline) {
        while (!stop.stopping() && !flushes.pending() && !raw.batchWaiting()) {
            if (Thread.currentThread().isInterrupted()) {
                return; // parking would return at once, again and again
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** When the writer next has to look, at the latest: a flush interval from now, or the aggregation interval's end. */
    private long nextWakeUp() {
        long now = System.nanoTime();
        long wakeUp = now + config.flushInterval().toNanos();
        if (intervals != null) {
            wakeUp = Math.min(wakeUp, now + Math.max(0, intervals.nextLookWall(lateStoreNanos) - clock.wallTimeNanos()));
        }
        return wakeUp;
    }

    /**
     * The loop's wait while a step's bytes wait for their retry (an outage), until it is due
     * ({@link RetryingSender#nanosUntilRetry}: its back-off, a stop, the stop's deadline). Every
     * few milliseconds meanwhile it does what must not wait: it hands the bytes to the spool when
     * {@link SpoolPolicy#putAsideNow} says so, reads the aggregated calls if the buffer is filling
     * ({@link RawBatches#readAggregatedWhileWaiting}), says what is being dropped (at most once a minute), and makes
     * the retry due now when a flush is asked for.
     */
    private void awaitRetry() {
        while (true) {
            stop.noticeInterrupt();
            long left = retrying.nanosUntilRetry();
            if (left <= 0) {
                return;
            }
            if (spooling.putAsideNow(ledger.counts().buffered() - ledger.inSpool(), config.bufferCapacity())) {
                retrying.putAsideNext();
                return;
            }
            rawBatches.readAggregatedWhileWaiting();
            lossReport.run();
            long requested = flushes.requested();
            if (requested != passServes) {
                retrying.retryNow();
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, WHILE_WAITING_NANOS));
        }
    }
}
