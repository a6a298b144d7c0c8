package io.rawmetrics.internal;

import io.rawmetrics.RawMetricsConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A running recorder: per-thread buffers on the recording side, one writer thread on the other.
 *
 * <p><b>Threading contract.</b> {@link #record} may be called by any number of threads at once,
 * and never touches the network. A thread's first {@value FirstCalls#CALLS_BEFORE_OWN_BUFFER}
 * calls go to a buffer shared with other threads, under its lock, held for a few stores (see
 * {@link FirstCalls}: short-lived threads must not each hold a chunk). After that the thread
 * appends to its own {@link ThreadBuffer}, wait-free: no shared counter, no CAS, no lock. When the
 * buffer capacity is exhausted, the call is dropped and counted, never waited for.
 * Everything else (encoding, writing, retrying, creating the database) runs on the writer thread
 * {@code rawmetrics-writer}.
 *
 * <p><b>Writer loop.</b> Every flush interval, when enough chunks have filled to make a batch,
 * on {@link #flush} and on {@link #shutdown}, the writer drains all buffers into batches of at
 * most {@code batchSize} points and {@code maxBatchBytes} bytes and sends each one. While a batch
 * cannot be delivered it keeps retrying that batch with capped exponential back-off and drains
 * nothing else, so during an outage points wait in the compact buffers (24 bytes each) rather
 * than as encoded text. A batch the server finds too large (413) or holding points it refuses
 * (400) is sent again in halves, down to single points, so that one point no server takes is
 * dropped alone, named in the log, and never holds back the points of other functions.
 *
 * <p><b>Threads, and the end of {@code mvn exec:java}.</b> {@code mvn exec:java} runs
 * {@code main} in Maven's JVM; once it returns, the plugin interrupts every thread of the
 * program's thread group, waits up to 15 s for each to end, then closes the program's class
 * loader, long before the JVM's shutdown hooks run. Two threads meet that:
 * <ul>
 *   <li>{@code rawmetrics-writer} lives in a thread group of the library's own, outside the
 *       program's, and so do the threads the HTTP client starts from it (OkHttp's task runner
 *       and timeout watchdog ignore interrupts, and would hold the plugin for its 15 s);</li>
 *   <li>{@code rawmetrics-exit-watch}, in the thread group of the code that started recording,
 *       does nothing but wait to be interrupted. Nobody interrupts a library's thread but code
 *       that is ending the application, so then it has the writer do what {@link #shutdown} does
 *       (write everything, within {@code shutdownTimeout}) and ends once the writer has: the
 *       plugin's wait for it is the time the last writes need, and the class loader is closed
 *       only after them.</li>
 * </ul>
 * An interrupt of the writer itself means the same. A write an interrupt broke is sent again,
 * not given up.
 *
 * <p><b>Losses are never silent.</b> Dropped calls are counted by cause ({@link Losses}), logged
 * at most once a minute while running, and summed up when the recorder stops; at JVM exit on
 * standard error, since logging may already be shut down by then.
 */
public final class Pipeline extends PipelinePadB implements CallRecorder {

    private static final System.Logger LOG = System.getLogger("io.rawmetrics");
    private static final long LOSS_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    /**
     * How long after reading a call's end time its thread may take to store the call (descheduled,
     * or stopped at a safepoint, in between) and the call still keep its exact time. A call stored
     * later is written after the newest point of its series ({@link SeriesTimestamps}). Longer costs
     * the encoder memory and time: it remembers the timestamps of this long.
     */
    private static final long LATE_STORE_NANOS = Duration.ofMillis(20).toNanos();
    private final RawMetricsConfig config;
    private final LineSender sender;
    private final HostIdentity host;
    private final Clock clock;
    private final SelfMetrics selfMetrics;
    private final BatchDelivery batches;
    private final RawBuffers raw;
    private final BatchEncoder encoder;
    /** When the writer next writes its own counters, if {@code rawmetrics.self-metrics} is on: at most once per flush interval. */
    private long nextSelfMetricsNanos = System.nanoTime();
    private final Thread writer;
    private final Thread exitWatch;
    /** The aggregated mode's recorder and its per-interval points; null when every call is raw. */
    private final Aggregator aggregator;
    private final IntervalWriter intervalWriter;
    /** What the writer hands drained calls to: the encoder, or, when some are aggregated, the sink that sorts them. */
    private final ThreadBuffer.CallSink sink;
    private final AggregatingSink aggregating;
    /** The earliest end time a call still to come can have, as of the writer's last pass ({@link #fillBatch}). */
    private long horizonNanos = Long.MIN_VALUE;

    private final AtomicLong flushRequested = new AtomicLong();
    private final Object flushMonitor = new Object();
    private volatile long flushCompleted;
    private final StopSignal stop;
    private final RetryingSender retrying;

    // Written by the writer thread only; volatile so that stats can be read from any thread.
    private volatile long writerFailed;
    /** Calls counted in aggregated points the server accepted, and in ones it refused or that were never sent. */
    private volatile long aggregatedDelivered;
    private volatile long aggregatedLost;
    private final Throttle lossReports = new Throttle(LOSS_LOG_INTERVAL_NANOS);
    /** Delivered, refused and abandoned when the current batch started: what a writer failure loses is the rest. */
    private long settledAtBatchStart;
    /** Losses as of the last periodic report (also loads {@link Losses} now, see its comment). */
    private Losses lossesReported = Losses.NONE;
    /** Loads {@link Counts} with this class: see its {@code NONE}. */
    private static final Counts COUNTS_LOADED = Counts.NONE;

    public Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock) {
        this(config, sender, host, clock, Long.MAX_VALUE);
    }

    /**
     * A pipeline that will be handed calls made before it existed, from {@code firstCallNanos} on
     * (a {@code System.nanoTime()}; {@link Long#MAX_VALUE} for none): its first interval starts
     * then, and until {@link #handedOver()} the writer takes no call still to come to have ended
     * later than that (see {@link StartingRecorder#handOver}).
     */
    Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock, long firstCallNanos) {
        this.config = config;
        this.sender = sender;
        this.host = host;
        this.clock = clock;
        this.stop = new StopSignal(config.shutdownTimeout());
        this.retrying = new RetryingSender(sender, config, stop, this::drainWhileWaiting, new RetryingSender.Backlog() {
            @Override
            public long dropped() {
                return Pipeline.this.dropped();
            }

            @Override
            public long waiting() {
                return counts().buffered();
            }
        });
        this.encoder = new BatchEncoder(config.measurement(), config.maxBatchBytes(), host, clock);
        this.batches = new BatchDelivery(retrying, encoder, config);
        this.selfMetrics = new SelfMetrics(sender, host, clock);
        if (config.aggregates()) {
            long startWall = clock.wallTimeNanos();
            if (firstCallNanos != Long.MAX_VALUE) {
                startWall -= Math.max(0, clock.monotonicNanos() - firstCallNanos);
            }
            this.aggregator = new Aggregator(localBuffer, config, host);
            this.intervalWriter = new IntervalWriter(aggregator, encoder, host, config.aggregationInterval().toNanos(),
                    startWall, config.url().toString());
            this.aggregating = intervalWriter.sink();
            this.sink = aggregating;
        } else {
            this.aggregator = null;
            this.intervalWriter = null;
            this.aggregating = null;
            this.sink = encoder;
        }
        this.raw = new RawBuffers(config.bufferCapacity(), config.batchSize(), aggregator, clock, LATE_STORE_NANOS,
                firstCallNanos, this::wakeWriter);
        this.writer = new Thread(LibraryThreads.group(), this::runWriter, "rawmetrics-writer");
        this.writer.setDaemon(true);
        this.exitWatch = new Thread(this::watchForExit, "rawmetrics-exit-watch");
        this.exitWatch.setDaemon(true);
        this.writer.start();
        this.exitWatch.start();
    }

    /** The exit watch (see the class comment): waits for an interrupt, or for the recorder to stop. */
    private void watchForExit() {
        while (!stop.stopping()) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                stopWriter(config.shutdownTimeout());
                return;
            }
        }
    }

    /** Records one finished call. Any thread; see the class comment for the contract. */
    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        localBuffer.get().append(site, startNanos, endNanos, errorClass);
    }

    /**
     * What timed calls go to: this pipeline, or, when some calls are aggregated, the aggregator,
     * which hands this pipeline the calls to be written raw.
     */
    public CallRecorder recorder() {
        return aggregator != null ? aggregator : this;
    }

    /** The aggregated mode's recorder, or {@code null} if every call is written raw. */
    public Aggregator aggregator() {
        return aggregator;
    }

    /** Rare path (once per batch's worth of chunks filled): the writer has work. */
    private void wakeWriter() {
        LockSupport.unpark(writer);
    }

    /** First call on a thread: its calls go to a shared buffer until it has made enough of them. */
    @Override
    CallBuffer register() {
        return raw.firstCalls(this::giveOwnBuffer);
    }

    /** A thread past its first calls: from now on it appends to a buffer of its own, without a lock. */
    private CallBuffer giveOwnBuffer() {
        ThreadBuffer own = raw.ownBuffer(Thread.currentThread());
        own.depth = localBuffer.get().depth; // the calls under way end there
        localBuffer.set(own);
        return own;
    }

    public RawMetricsConfig config() {
        return config;
    }

    /**
     * Waits until every call recorded before this method was called has been written (or given
     * up on), at most {@code timeout}.
     *
     * @return whether the flush completed in time
     */
    public boolean flush(Duration timeout) {
        long target = flushRequested.incrementAndGet();
        LockSupport.unpark(writer);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (flushMonitor) {
            while (flushCompleted < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return flushCompleted >= target;
                }
                try {
                    flushMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Writes what is buffered, giving up after {@code timeout}, and stops the writer. What was
     * lost over the recorder's life, if anything, is logged.
     *
     * @return whether the writer finished within the timeout
     */
    public boolean shutdown(Duration timeout) {
        boolean finished = stopWriter(timeout);
        Losses losses = losses();
        if (losses.total() > 0) {
            LOG.log(System.Logger.Level.WARNING, describeAtStop(losses));
        }
        return finished;
    }

    /**
     * {@link #shutdown} from the JVM's shutdown hook: what was lost is printed on standard error,
     * because java.util.logging resets its handlers in a shutdown hook of its own, and hooks run
     * in no order. A clean stop prints nothing. {@code whenWriterEnded} runs between the writer's
     * end and the count of what was lost, so that calls made until it ran are counted.
     */
    public boolean shutdownAtExit(Duration timeout, Runnable whenWriterEnded) {
        boolean finished = stopWriter(timeout);
        whenWriterEnded.run();
        Losses losses = losses();
        if (losses.total() > 0) {
            System.err.println(describeAtStop(losses));
        }
        return finished;
    }

    private boolean stopWriter(Duration timeout) {
        stop.request(timeout);
        LockSupport.unpark(writer);
        LockSupport.unpark(exitWatch);
        try {
            writer.join(Math.max(1, timeout.toMillis() + 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !writer.isAlive();
    }

    /** The writer thread, for tests. */
    Thread writer() {
        return writer;
    }

    /** The exit watch thread (see the class comment). */
    Thread exitWatch() {
        return exitWatch;
    }

    private String describeAtStop(Losses losses) {
        return losses.describe(recorded(), "", where(), config.bufferCapacity(), stop.timeout());
    }

    /** Points the server accepted. */
    public long delivered() {
        return batches.delivered();
    }

    /**
     * Calls recorded, points delivered and calls dropped, read together; what is left of the
     * calls recorded, {@link Counts#buffered()}, is computed there and nowhere else.
     */
    public Counts counts() {
        long dropped = dropped();
        long delivered = batches.delivered();
        return new Counts(recorded(), delivered, dropped);
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

    /** Calls recorded, dropped ones included (see {@link ThreadBuffer#recorded()} for its precision). */
    public long recorded() {
        long recorded = raw.recorded();
        return aggregating == null ? recorded : recorded - aggregating.aggregatedOnly();
    }

    /** Write attempts that failed, each retry counted. */
    public long failedWrites() {
        return retrying.failedWrites();
    }

    /** Batches sent again after a failed attempt. */
    public long retries() {
        return retrying.retries();
    }

    /** Calls dropped: buffer full, refused by the server, undescribable, or still unsent at shutdown. */
    public long dropped() {
        return bufferFull() + batches.refused() + batches.abandoned() + writerFailed + encoder.undescribable();
    }

    /** Every call made before this pipeline existed has been handed to it (see {@link #Pipeline(RawMetricsConfig, LineSender, HostIdentity, Clock, long)}). */
    void handedOver() {
        raw.handedOver();
    }

    /** Calls that could not wait for this recorder to start: they count as dropped because the buffer was full. */
    void droppedWhileStarting(long calls) {
        raw.droppedWhileStarting(calls);
    }

    private long bufferFull() {
        return raw.dropped();
    }

    /**
     * What is lost so far, by cause. Once the writer has ended, calls neither delivered nor
     * dropped were recorded after its last pass: they count as unsent.
     */
    Losses losses() {
        long bufferFull = bufferFull();
        long undescribable = encoder.undescribable();
        boolean ended = !writer.isAlive();
        long unsent = ended ? counts().buffered() : 0;
        long aggregated = aggregatedLost;
        if (intervalWriter != null) {
            aggregated += intervalWriter.dropped();
            if (ended) {
                aggregated += Math.max(0, intervalWriter.counted() - intervalWriter.reported());
            }
        }
        return new Losses(bufferFull, batches.refused(), batches.abandoned(), writerFailed, undescribable, unsent, aggregated);
    }

    private void runWriter() {
        boolean connected = false;
        while (true) {
            awaitWork(nextWakeUp());
            stop.noticeInterrupt();
            if (!connected) {
                // Not before the first flush interval (or batch, flush, stop): making the HTTP
                // clients loads some 2,000 classes, half a second of a core on a cold JVM, which an
                // application's first requests would otherwise share their CPU with. The calls wait.
                connected = true;
                if (config.createDatabase()) {
                    retrying.createDatabase();
                }
            }
            boolean last = stop.stopping();
            long target = flushRequested.get();
            try {
                writeEverything();
                raw.retireDeadThreads();
                if (intervalWriter != null) {
                    writeAggregates(last || target != flushCompleted, last);
                    deliverAggregates();
                }
                // Not on every pass: under load the writer makes one per batch, hundreds a second.
                if (config.selfMetrics() && !retrying.inOutage()
                        && (last || target != flushCompleted || System.nanoTime() - nextSelfMetricsNanos >= 0)) {
                    selfMetrics.write(counts(), retrying.failedWrites(), retrying.retries());
                    nextSelfMetricsNanos = System.nanoTime() + config.flushInterval().toNanos();
                }
                if (!last) {
                    reportLosses();
                }
            } catch (Throwable bug) {
                // The writer must outlive any failure of its own (a bug, an OutOfMemoryError while
                // encoding): if it died, every later call would fill the buffer and be dropped.
                long lost = Math.max(0, encoder.points() - (batches.settled() - settledAtBatchStart));
                writerFailed += lost;
                raw.recycleInFlight();
                LOG.log(System.Logger.Level.ERROR, "rawmetrics: the writer failed; "
                        + lost + " points of the current batch are dropped", bug);
            }
            synchronized (flushMonitor) {
                flushCompleted = target;
                flushMonitor.notifyAll();
            }
            if (last) {
                break;
            }
        }
        sender.close();
    }

    /** Logs what was dropped since the last such message, at most once a minute. */
    private void reportLosses() {
        Losses now = losses();
        if (now.total() == lossesReported.total() || !lossReports.due()) {
            return;
        }
        Losses recent = now.since(lossesReported);
        long since = lossReports.sinceLast();
        String lead = since < 0 ? "" : "in the last " + Duration.ofNanos(since).toSeconds() + " s, ";
        LOG.log(System.Logger.Level.WARNING, recent.describe(-1, lead, where(), config.bufferCapacity(), stop.timeout())
                + " (" + now.total() + " since the start; see RawMetrics.stats())");
        lossesReported = now;
        lossReports.saidNow();
    }

    /** When the writer next has to look, at the latest: a flush interval from now, or the aggregation interval's end. */
    private long nextWakeUp() {
        long now = System.nanoTime();
        long wakeUp = now + config.flushInterval().toNanos();
        if (intervalWriter != null) {
            wakeUp = Math.min(wakeUp, now + Math.max(0, intervalWriter.nextLookWall(LATE_STORE_NANOS) - clock.wallTimeNanos()));
        }
        return wakeUp;
    }

    /**
     * Builds the points of every interval no call still to come can have ended in; with {@code now}
     * (a flush, a stop), also those of the interval under way, cut at this moment; with {@code last}
     * (the stop), every interval still open. They wait to be sent by {@link #deliverAggregates}.
     */
    private void writeAggregates(boolean now, boolean last) {
        if (now) {
            intervalWriter.closeAt(clock.wallTimeNanos(), last);
        } else {
            closeIntervalsBehindHorizon();
        }
    }

    private void closeIntervalsBehindHorizon() {
        if (horizonNanos != Long.MIN_VALUE) {
            intervalWriter.closeBehind(horizonNanos + encoder.wallMinusMonotonic(), clock.wallTimeNanos());
        }
    }

    /**
     * Sends the closed intervals' points, oldest first, retrying as {@link #deliver} does; what the
     * server refuses, or what is still unsent at the shutdown deadline, is counted as the calls it
     * counts, and logged. Sending may wait out an outage, during which more intervals are closed.
     */
    private void deliverAggregates() {
        for (IntervalWriter.Points next = intervalWriter.nextToSend(); next != null; next = intervalWriter.nextToSend()) {
            RetryingSender.Sent sent = retrying.send(next.lines().array(), 0, next.lines().length());
            intervalWriter.sent(next);
            LineSender.WriteException e = sent.answer();
            if (sent == RetryingSender.Sent.TAKEN
                    || e != null && e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() == 0) {
                aggregatedDelivered += next.calls(); // everything, or a partial write that refused nothing
                continue;
            }
            aggregatedLost += next.calls();
            if (e != null) {
                batches.rejected(0, "the aggregated points of an interval (counting " + next.calls() + " calls)", e);
            }
        }
    }

    /**
     * While the writer waits to send again (an outage), the buffer fills: once it is half full, the
     * aggregated calls waiting are read anyway, up to the first raw call of each buffer (which keeps
     * its place), so that they are counted in their intervals and their points kept. In mode
     * {@code aggregated} that is every call: the buffer never fills.
     */
    private void drainWhileWaiting() {
        if (aggregating == null || !raw.halfFull()) {
            return;
        }
        raw.startPass();
        aggregating.rawWaits = true;
        try {
            raw.takeAll(this::drain);
            horizonNanos = raw.futureEndsFrom();
            closeIntervalsBehindHorizon();
        } finally {
            aggregating.rawWaits = false;
        }
    }

    /** Drains a buffer into {@link #sink}, which knows, for the aggregated mode, whose calls they are. */
    private int drain(ThreadBuffer buffer, int limit, List<Chunk> consumed) {
        if (aggregating == null) {
            return buffer.drainTo(sink, limit, consumed);
        }
        aggregating.thread = buffer.owner != null ? buffer.owner : buffer.lastReadOwner;
        int taken = buffer.drainTo(sink, limit, consumed);
        if (buffer.owner == null) {
            buffer.lastReadOwner = aggregating.thread;
        }
        return taken;
    }

    /**
     * Calls counted by the aggregated mode so far (0 if nothing is aggregated): exact once the
     * writer has read every call ({@link #flush}, a stop); the calls still in the buffer are not in it.
     */
    public long aggregatedCalls() {
        return intervalWriter == null ? 0 : intervalWriter.counted();
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
        return aggregatedDelivered;
    }

    private void awaitWork(long deadline) {
        while (!stop.stopping() && flushRequested.get() == flushCompleted && !raw.batchWaiting()) {
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

    /** Drains every buffer, batch after batch, until a batch comes out short. */
    private void writeEverything() {
        int taken;
        do {
            raw.startPass();
            encoder.startBatch();
            settledAtBatchStart = batches.settled();
            taken = fillBatch();
            if (encoder.points() > 0) {
                batches.deliverBatch();
            }
            raw.recycleInFlight();
        } while (taken == config.batchSize() || encoder.full());
    }

    /**
     * Takes up to a batch from the buffers, oldest calls first ({@link RawBuffers#takeOldestFirst}),
     * then tells the encoder the earliest end time a call still to come can have (see
     * {@link RawBuffers#futureEndsFrom}).
     */
    private int fillBatch() {
        int taken = raw.takeOldestFirst(this::drain, config.batchSize(), encoder::full);
        long futureEndsFrom = raw.futureEndsFrom();
        encoder.drainedUntil(futureEndsFrom);
        horizonNanos = futureEndsFrom;
        return taken;
    }

    /** The server, and the user if any (never the password), for log messages. */
    private String where() {
        return RetryingSender.where(config);
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
    final ThreadLocal<CallBuffer> localBuffer = ThreadLocal.withInitial(this::register);

    abstract CallBuffer register();
}

abstract class PipelinePadB extends PipelineRecordingSide {
    int b0;
    long b1, b2, b3, b4, b5, b6, b7, b8;
}
