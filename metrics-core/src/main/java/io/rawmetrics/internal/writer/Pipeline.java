package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.aggregate.Aggregator;
import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.buffer.CallBuffer;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.WriteState;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolPolicy;
import io.rawmetrics.internal.trace.Spans;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A running recorder, the facade that composes the rooms: the callers' buffers
 * ({@link RawBuffers}) on the recording side, the {@link Writer} thread on the other, and between
 * them the encoder, the aggregated mode's intervals, delivery and the {@link Ledger} of counts.
 * It starts them, flushes, stops them, and answers for the counts: over 350 lines because it is
 * the one door to them all, and a third of it is the one-line readers of the counts that
 * {@code RawMetrics.stats()} reads. What it says at a stop is {@link StopReport}'s. See
 * docs/design.md for the drawing of the rooms and who owns what.
 *
 * <p><b>Threading contract.</b> {@link #record} may be called by any number of threads at once,
 * and never touches the network. A thread's first {@value FirstCalls#CALLS_BEFORE_OWN_BUFFER}
 * calls go to a buffer shared with other threads, under its lock, held for a few stores (see
 * {@link io.rawmetrics.internal.buffer.FirstCalls}: short-lived threads must not each hold a chunk). After that the thread
 * appends to its own {@link ThreadBuffer}, wait-free: no shared counter, no CAS, no lock. When the
 * buffer capacity is exhausted, the call is dropped and counted, never waited for. Everything else
 * runs on the writer thread.
 *
 * <p><b>Threads.</b> {@code rawmetrics-writer} ({@link Writer}) does everything but recording;
 * {@code rawmetrics-exit-watch} ({@link ExitWatch}) stops it when {@code mvn exec:java} ends the
 * program. An interrupt of the writer itself means the same. A write an interrupt broke is sent
 * again, not given up.
 *
 * <p><b>Losses are never silent.</b> Dropped calls are counted by cause ({@link Losses}), logged
 * at most once a minute while running, and summed up when the recorder stops; at JVM exit on
 * standard error, since logging may already be shut down by then.
 */
public final class Pipeline extends PipelinePadB implements CallRecorder {

    /**
     * How long after reading a call's end time its thread may take to store the call (descheduled,
     * or stopped at a safepoint, in between) and the call still keep its exact time. A call stored
     * later is written after the newest point of its series ({@link io.rawmetrics.internal.lineprotocol.SeriesTimestamps}). Longer costs
     * the encoder memory and time: it remembers the timestamps of this long.
     */
    private static final long LATE_STORE_NANOS = Duration.ofMillis(20).toNanos();
    /** Loads {@link Counts} with this class: see its {@code NONE}. */
    private static final Counts COUNTS_LOADED = Counts.NONE;

    private final RawMetricsConfig config;
    private final RawBuffers raw;
    private final StopSignal stop;
    private final RetryingSender retrying;
    private final Ledger ledger;
    private final Spool spool;
    private final Writer writer;
    private final Thread exitWatch;
    /** The aggregated mode's recorder and its intervals; both null when every call is raw. */
    private final Aggregator aggregator;
    private final IntervalWriter intervals;
    /** Run once the exit watch has stopped the writer: the owner stops sending calls here. */
    private final Consumer<Pipeline> whenProgramEnded;
    /** Whether the losses at the stop have been said: once, whichever stop comes first. */
    /** Made now, so that its class is loaded now: it may run in the shutdown hook (see {@link Losses}). */
    private final StopReport stopReport;

    public Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock) {
        this(config, sender, host, clock, Long.MAX_VALUE, stopped -> { });
    }

    /**
     * A pipeline that will be handed calls made before it existed, from {@code firstCallNanos} on
     * (a {@code System.nanoTime()}; {@link Long#MAX_VALUE} for none): its first interval starts
     * then, and until {@link #handedOver()} the writer takes no call still to come to have ended
     * later than that (see {@link io.rawmetrics.internal.lifecycle.StartingRecorder#handOver}).
     */
    public Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock, long firstCallNanos) {
        this(config, sender, host, clock, firstCallNanos, stopped -> { });
    }

    /**
     * As above; {@code whenProgramEnded} runs when the exit watch has stopped this pipeline
     * ({@code mvn exec:java} ended the program), before its losses are said, so that calls made
     * from then on can go elsewhere (see {@link io.rawmetrics.internal.lifecycle.Lifecycle}).
     */
    public Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock, long firstCallNanos,
            Consumer<Pipeline> whenProgramEnded) {
        super(config.traceIds() && Spans.AVAILABLE);
        this.config = config;
        this.whenProgramEnded = whenProgramEnded;
        this.stop = new StopSignal(config.shutdownTimeout());
        BatchEncoder encoder = new BatchEncoder(config.measurement(), config.maxBatchBytes(), host, clock);
        if (config.aggregates()) {
            long startWall = clock.wallTimeNanos();
            if (firstCallNanos != Long.MAX_VALUE) {
                startWall -= Math.max(0, clock.monotonicNanos() - firstCallNanos);
            }
            this.aggregator = new Aggregator(localBuffer, config, host, keepsSpans);
            this.intervals = new IntervalWriter(aggregator, encoder, host, config.aggregationInterval().toNanos(),
                    startWall, sender.server());
        } else {
            this.aggregator = null;
            this.intervals = null;
        }
        // The writer and the ledger are made last: nothing below calls back into them before the writer starts.
        this.raw = new RawBuffers(config.bufferCapacity(), config.batchSize(), aggregator != null, keepsSpans, clock,
                LATE_STORE_NANOS, firstCallNanos, this::wakeWriter);
        this.retrying = new RetryingSender(sender, config, stop, new RetryingSender.Backlog() {
            @Override
            public long dropped() {
                return ledger.dropped();
            }

            @Override
            public long waiting() {
                return ledger.counts().buffered();
            }
        });
        this.spool = config.spoolDirectory() == null ? null : new Spool(config.spoolDirectory(), config.spoolMaxBytes());
        if (intervals != null && spool != null) {
            intervals.spoolTo(spool);
        }
        SpoolPolicy spooling = spool == null ? SpoolPolicy.none()
                : new SpoolPolicy(spool, config.retryMaxInterval().toNanos(), stop::stopping);
        BatchDelivery batches = new BatchDelivery(retrying, encoder, config, spooling);
        this.ledger = new Ledger(raw, batches, encoder, intervals, spool);
        this.writer = new Writer(config, sender, clock, raw, encoder, batches, retrying, stop,
                new SelfMetrics(sender, host, clock, config.flushInterval().toNanos()), ledger, intervals, LATE_STORE_NANOS, spooling);
        this.stopReport = new StopReport(config, ledger, spool, intervals, stop, writer.thread());
        this.exitWatch = new Thread(new ExitWatch(stop, this::stopAtProgramEnd), "rawmetrics-exit-watch");
        this.exitWatch.setDaemon(true);
        writer.start();
        exitWatch.start();
    }

    /** See {@link #inheritCallsUnderWay}; read once per thread, at its first call. */
    private volatile IntSupplier callsUnderWayBefore;

    /** Rare path (once per batch's worth of chunks filled): the writer has work. */
    private void wakeWriter() {
        writer.wake();
    }

    /** Records one finished call. Any thread; see the class comment for the contract. */
    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        record(site, startNanos, endNanos, errorClass, keepsSpans ? Spans.current() : null);
    }

    @Override
    public Object currentSpan() {
        return keepsSpans ? Spans.current() : null;
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request, Object span) {
        record(site, startNanos, endNanos, errorClass, keepsSpans ? span : null); // a span from the start, whose recorder did not know
    }

    private void record(Object site, long startNanos, long endNanos, Object errorClass, Object span) {
        if (span == null) {
            localBuffer.get().append(site, startNanos, endNanos, errorClass);
        } else {
            localBuffer.get().appendInSpan(site, startNanos, endNanos, errorClass, span);
        }
    }

    /**
     * What timed calls go to: this pipeline, or, when some calls are aggregated, the aggregator,
     * which stores into the same buffers and keeps track of which calls are requests.
     */
    public CallRecorder recorder() {
        return aggregator != null ? aggregator : this;
    }

    /** The aggregated mode's recorder, or {@code null} if every call is written raw. */
    public Aggregator aggregator() {
        return aggregator;
    }

    /** First call on a thread: its calls go to a shared buffer until it has made enough of them. */
    @Override
    CallBuffer register() {
        IntSupplier before = callsUnderWayBefore;
        if (before != null) {
            before.getAsInt(); // raw calls are not told apart by depth: only let go of them there
        }
        return raw.firstCalls(this::giveOwnBuffer);
    }

    /**
     * Before this pipeline takes the calls: {@code before} tells each thread, at its first call
     * here, how many calls it still has under way in the recorder this one replaces, and lets go
     * of them there; the aggregated mode counts a call they make as nested, not as a request.
     */
    public void inheritCallsUnderWay(IntSupplier before) {
        if (aggregator != null) {
            aggregator.inheritCallsUnderWay(before); // its threads' first call is there
        } else {
            this.callsUnderWayBefore = before;
        }
    }

    /** A thread past its first calls: from now on it appends to a buffer of its own, without a lock. */
    private CallBuffer giveOwnBuffer() {
        ThreadBuffer own = raw.ownBuffer(Thread.currentThread());
        localBuffer.set(own);
        return own;
    }

    public RawMetricsConfig config() {
        return config;
    }

    /** See {@link Writer#flush}. */
    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
    }

    /**
     * Writes what is buffered, giving up after {@code timeout}, and stops the writer. What was
     * lost over the recorder's life, if anything, is logged.
     *
     * @return whether the writer finished within the timeout
     */
    public boolean shutdown(Duration timeout) {
        boolean finished = stopWriter(timeout, false);
        stopReport.say(false);
        return finished;
    }

    /**
     * {@link #shutdown} from the JVM's shutdown hook: what was lost is printed on standard error,
     * because java.util.logging resets its handlers in a shutdown hook of its own, and hooks run
     * in no order. A clean stop prints nothing. {@code whenWriterEnded} runs between the writer's
     * end and the count of what was lost, so that calls made until it ran are counted.
     */
    public boolean shutdownAtExit(Duration timeout, Runnable whenWriterEnded) {
        stop.requestAtExit(timeout);
        boolean finished = stopWriter(timeout, false);
        whenWriterEnded.run();
        stopReport.say(true);
        return finished;
    }

    /**
     * The exit watch's stop ({@code mvn exec:java} ended the program): as {@link #shutdown}, but
     * an interrupt does not cut the wait for the writer short. The plugin closes the program's
     * class loader as soon as the exit watch ends, and a writer still working then dies loading
     * its HTTP client's classes, and nothing is stored. The plugin interrupts every thread of
     * the program's group again and again while it waits, and the start thread passes its own
     * interrupt on: the first interrupt is the stop, the others are ignored.
     */
    private void stopAtProgramEnd() {
        boolean interrupted = Thread.interrupted();
        stopWriter(config.shutdownTimeout(), true);
        whenProgramEnded.accept(this);
        stopReport.say(false);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the writer to stop and waits for it, up to {@code timeout} and a second: the writer
     * keeps the deadline itself, the second is for a write under way when it passes. With
     * {@code uninterruptibly}, an interrupt of the waiting thread does not end the wait.
     */
    private boolean stopWriter(Duration timeout, boolean uninterruptibly) {
        stop.request(timeout);
        writer.wake();
        LockSupport.unpark(exitWatch);
        long deadline = System.nanoTime() + Math.max(1, timeout.toMillis() + 1000) * 1_000_000;
        boolean interrupted = false;
        Thread thread = writer.thread();
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
                if (!uninterruptibly) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        localBuffer.release();
        if (aggregator != null) {
            aggregator.release();
        }
        return !thread.isAlive();
    }

    /** The writer thread, for tests. */
    Thread writer() {
        return writer.thread();
    }

    /** The exit watch thread (see {@link ExitWatch}). */
    public Thread exitWatch() {
        return exitWatch;
    }

    /** Every call made before this pipeline existed has been handed to it (see {@link #Pipeline(RawMetricsConfig, LineSender, HostIdentity, Clock, long)}). */
    public void handedOver() {
        raw.handedOver();
    }

    /** Calls that could not wait for this recorder to start: they count as dropped because the buffer was full. */
    public void droppedWhileStarting(long calls) {
        raw.droppedWhileStarting(calls);
    }

    /**
     * Calls recorded, points delivered and calls dropped, read together; what is left of the
     * calls recorded, {@link Counts#buffered()}, is computed there and nowhere else.
     */
    public Counts counts() {
        return ledger.counts();
    }

    /**
     * The raw calls' counts: {@code recorded = delivered + dropped + buffered}, exactly once the
     * recording threads are idle (while they record, a snapshot).
     */
    public record Counts(long recorded, long delivered, long dropped) {
        /**
         * Made when Pipeline is loaded, so that this class is loaded then: the shutdown hook
         * counts the losses with it, and under {@code mvn exec:java} the application's class
         * loader is closed by then (see {@link Losses}).
         */
        static final Counts NONE = new Counts(0, 0, 0);

        /** Calls waiting to be written, in the buffer or in the batch being sent. */
        public long buffered() {
            return Math.max(0, recorded - delivered - dropped);
        }
    }

    /** What is lost so far, by cause; see {@link Ledger#losses}. */
    public Losses losses() {
        return ledger.losses(!writer.thread().isAlive());
    }

    /** Raw calls recorded, dropped ones included. */
    public long recorded() {
        return ledger.recorded();
    }

    /** Points the server accepted. */
    public long delivered() {
        return ledger.delivered();
    }

    /** Points put aside in the spool and not delivered yet; 0 without a spool. */
    public long inSpool() {
        return ledger.inSpool();
    }

    /** What the writer last learnt of the server (see {@link WriteState}). */
    public WriteState writeState() {
        return retrying.state();
    }

    /** The spool, or {@code null}: for its counts. */
    public Spool spool() {
        return spool;
    }

    /** Calls dropped: buffer full, refused by the server, undescribable, or still unsent at shutdown. */
    public long dropped() {
        return ledger.dropped();
    }

    /** Write attempts that failed, each retry counted. */
    public long failedWrites() {
        return retrying.failedWrites();
    }

    /** Batches sent again after a failed attempt. */
    public long retries() {
        return retrying.retries();
    }

    /**
     * Calls counted by the aggregated mode so far (0 if nothing is aggregated): exact once the
     * writer has read every call ({@link #flush}, a stop); the calls still in the buffer are not in it.
     */
    public long aggregatedCalls() {
        return intervals == null ? 0 : intervals.counted();
    }

    /**
     * Aggregated calls that found the buffer full and were counted on the caller's thread, under a
     * lock, in the next interval the writer closed rather than their own: the writer fell behind.
     */
    public long aggregatedOverflowed() {
        return aggregator == null ? 0 : aggregator.overflowed();
    }

    /** Calls counted in aggregated points the server accepted. */
    public long aggregatedDelivered() {
        return ledger.aggregatedDelivered();
    }
}

/** 64 bytes (and the 4-byte hole after the object header) before the field every call reads. */
abstract class PipelinePadA {
    int a0;
    long a1, a2, a3, a4, a5, a6, a7, a8;
}

/**
 * What a recording thread reads of the pipeline on every call, padded away from the fields the
 * writer thread updates per batch and from neighbouring objects (see {@link ThreadBuffer}).
 */
abstract class PipelineRecordingSide extends PipelinePadA {
    /** Released when the pipeline stops: a pool thread that outlives it must not hold its buffer (see {@link ReleasableThreadLocal}). */
    final ReleasableThreadLocal<CallBuffer> localBuffer = new ReleasableThreadLocal<>(this::register);
    /**
     * Whether a call stores the OpenTelemetry span it ran in: {@code rawmetrics.trace-ids}, and the
     * API on the class path. Off, a call costs one never-taken branch, and nothing of the API loads.
     */
    final boolean keepsSpans;

    PipelineRecordingSide(boolean keepsSpans) {
        this.keepsSpans = keepsSpans;
    }

    abstract CallBuffer register();
}

abstract class PipelinePadB extends PipelineRecordingSide {
    int b0;
    long b1, b2, b3, b4, b5, b6, b7, b8;

    PipelinePadB(boolean keepsSpans) {
        super(keepsSpans);
    }
}
