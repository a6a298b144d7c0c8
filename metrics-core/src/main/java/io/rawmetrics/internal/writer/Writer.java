package io.rawmetrics.internal.writer;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.LibraryThreads;
import io.rawmetrics.internal.aggregate.AggregatingSink;
import io.rawmetrics.internal.aggregate.IntervalWriter;
import io.rawmetrics.internal.buffer.Chunk;
import io.rawmetrics.internal.buffer.RawBuffers;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.delivery.BatchDelivery;
import io.rawmetrics.internal.delivery.LineSender;
import io.rawmetrics.internal.delivery.RetryingSender;
import io.rawmetrics.internal.delivery.StopSignal;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer thread, {@code rawmetrics-writer}: everything that is not recording a call happens
 * on it (encoding, aggregating, sending, retrying, creating the database, reporting losses).
 *
 * <p>Every flush interval, when enough chunks have filled to make a batch, on {@link #flush} and
 * on a stop, it drains all buffers into batches of at most {@code batchSize} points and
 * {@code maxBatchBytes} bytes and sends each one ({@link BatchDelivery}). While a batch cannot be
 * delivered it keeps retrying that batch ({@link RetryingSender}) and drains nothing else, so
 * during an outage points wait in the compact buffers (24 bytes each) rather than as encoded text;
 * aggregated calls are read meanwhile once the buffer is half full ({@link #drainWhileWaiting}).
 * In the aggregated mode it then closes the intervals behind its horizon and sends their points
 * ({@link IntervalWriter}).
 */
final class Writer {

    private static final System.Logger LOG = LibraryLog.LOG;
    private static final long LOSS_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final RawMetricsConfig config;
    private final LineSender sender;
    private final Clock clock;
    private final RawBuffers raw;
    private final BatchEncoder encoder;
    private final BatchDelivery batches;
    private final RetryingSender retrying;
    private final StopSignal stop;
    private final SelfMetrics selfMetrics;
    private final Ledger ledger;
    private final long lateStoreNanos;
    /** The aggregated mode's intervals and the sink that sorts drained calls; both null when every call is raw. */
    private final IntervalWriter intervals;
    private final AggregatingSink aggregating;
    /** What drained calls go to: the encoder, or, when some are aggregated, the sink that sorts them. */
    private final ThreadBuffer.CallSink sink;
    private final Thread thread;
    /** Where batches are put aside during a long outage, and replayed from; {@code null} without one. */
    private final Spool spool;

    private final AtomicLong flushRequested = new AtomicLong();
    private final Object flushMonitor = new Object();
    private volatile long flushCompleted;
    /** Set, under {@link #flushMonitor}, as the writer thread ends: no flush is served after it. */
    private boolean ended;
    /** The flush the current pass serves, read when it started: a wait for a retry is not cut short for it. */
    private long passServes;
    /** The last flush a wait for a retry was cut short for. */
    private long hurriedFor;

    /** The earliest end time a call still to come can have, as of the last pass ({@link #fillBatch}). */
    private long horizonNanos = Long.MIN_VALUE;
    /** When the writer next writes its own counters, if {@code rawmetrics.self-metrics} is on: at most once per flush interval. */
    private long nextSelfMetricsNanos = System.nanoTime();
    /** Delivered, refused and abandoned when the current batch started: what a writer failure loses is the rest. */
    private long settledAtBatchStart;
    /** Whether a batch is being filled or sent: what a failed pass loses is that batch's points, if any. */
    private boolean batchOpen;
    /** The writer's own failures: the first logged with its stack trace, a repeating one once a minute. */
    private final Throttle failureReports = new Throttle(LOSS_LOG_INTERVAL_NANOS);
    private final Throttle lossReports = new Throttle(LOSS_LOG_INTERVAL_NANOS);
    /** Losses as of the last periodic report (also loads {@link Losses} now, see its comment). */
    private Losses lossesReported = Losses.NONE;

    /** The parts it drives; see {@link Pipeline}, which builds them. {@code intervals} is null when every call is raw. */
    Writer(RawMetricsConfig config, LineSender sender, Clock clock, RawBuffers raw, BatchEncoder encoder,
            BatchDelivery batches, RetryingSender retrying, StopSignal stop, SelfMetrics selfMetrics, Ledger ledger,
            IntervalWriter intervals, long lateStoreNanos, Spool spool) {
        this.config = config;
        this.sender = sender;
        this.clock = clock;
        this.raw = raw;
        this.encoder = encoder;
        this.batches = batches;
        this.retrying = retrying;
        this.stop = stop;
        this.selfMetrics = selfMetrics;
        this.ledger = ledger;
        this.intervals = intervals;
        this.aggregating = intervals == null ? null : intervals.sink();
        this.sink = aggregating == null ? encoder : aggregating;
        this.lateStoreNanos = lateStoreNanos;
        this.spool = spool;
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
        long target = flushRequested.incrementAndGet();
        wake();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (flushMonitor) {
            while (flushCompleted < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
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
            synchronized (flushMonitor) {
                ended = true;
                flushMonitor.notifyAll(); // a flush still waiting returns now, not at its timeout
            }
        }
    }

    private void writeUntilStopped() {
        boolean connected = false;
        while (true) {
            awaitWork(nextWakeUp());
            stop.noticeInterrupt();
            boolean last = stop.stopping();
            long target = flushRequested.get();
            passServes = target;
            try {
                if (!connected) {
                    // Not before the first flush interval (or batch, flush, stop): making the HTTP
                    // clients loads some 2,000 classes, half a second of a core on a cold JVM, which an
                    // application's first requests would otherwise share their CPU with. The calls wait.
                    connected = true;
                    // A recorder stopped before its first flush with nothing to write (an application
                    // context closed at once, a test) need not reach the server: if it is away, that
                    // would hold up the stop for its whole timeout.
                    boolean nothingToWrite = last && raw.recorded() == 0 && spool == null;
                    if (config.createDatabase() && !nothingToWrite) {
                        retrying.createDatabase();
                    }
                }
                writePass(last, target);
                ledger.passDone();
            } catch (Throwable bug) {
                passFailed(bug, last);
            }
            synchronized (flushMonitor) {
                flushCompleted = target;
                flushMonitor.notifyAll();
            }
            if (last) {
                break;
            }
        }
    }

    /** One pass: every buffer drained and sent, the intervals closed and sent, the spool replayed, the self-metrics. */
    private void writePass(boolean last, long target) {
        if (target != flushCompleted && batches.spooling()) {
            batches.probeNow(); // a flush: the server may be back, try it now rather than put everything aside
        }
        writeEverything();
        raw.retireDeadThreads();
        if (intervals != null) {
            writeAggregates(last || target != flushCompleted, last);
            if (!batches.spooling()) {
                deliverAggregates();
            } else if (last) {
                putAsideAggregates(); // the stop, the server still away: no attempt, the spool takes them
            }
            // Else raw batches are put aside, and the intervals' points wait in memory meanwhile.
        }
        if (spool != null && (batches.spooling() || !retrying.inOutage())) {
            replaySpool(last);
        }
        // Not on every pass: under load the writer makes one per batch, hundreds a second.
        if (config.selfMetrics() && !retrying.inOutage()
                && (last || target != flushCompleted || System.nanoTime() - nextSelfMetricsNanos >= 0)) {
            selfMetrics.write(ledger.counts(), retrying.failedWrites(), retrying.retries());
            nextSelfMetricsNanos = System.nanoTime() + config.flushInterval().toNanos();
        }
        if (!last) {
            reportLosses();
        }
    }

    /**
     * A pass failed: the points of the batch it was writing, if any, are lost and counted with
     * the cause; the buffers' chunks it held go back to the pool, and the next pass goes on. (The
     * calls of a run the encoder failed on stay in their buffer: a buffer moves past a run only once
     * the sink took it.) The first failure is logged with its stack trace, a failure that repeats
     * at most once a minute with its count, and the summary at the stop names the cause.
     */
    private void passFailed(Throwable bug, boolean last) {
        long lost = batchOpen ? Math.max(0, encoder.points() - (batches.settled() - settledAtBatchStart)) : 0;
        batchOpen = false;
        ledger.writerFailed(lost, bug);
        raw.recycleInFlight();
        if (failureReports.sayNow()) {
            long failures = failureReports.eventsSaid();
            String again = failures > 1 ? " (" + failures + " failed passes since the last report)" : "";
            String cost = last ? "; it was the stop's last pass: the calls it had not written are lost, and counted"
                    : lost > 0 ? "; " + lost + " points of the batch it was writing are dropped, and it goes on"
                    : "; it goes on, and the calls it was reading wait for its next pass";
            String message = "rawmetrics: the writer failed" + again + cost;
            if (stop.atExit()) { // java.util.logging may be gone
                System.err.println(message + ": " + bug);
                bug.printStackTrace();
            } else {
                LOG.log(System.Logger.Level.ERROR, message, bug);
            }
        }
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
            System.err.println("rawmetrics: the writer thread ended; no timed call will be written from now on,"
                    + " and those not yet written are lost (see RawMetrics.stats()):");
            fatal.printStackTrace();
        }
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

    /** When the writer next has to look, at the latest: a flush interval from now, or the aggregation interval's end. */
    private long nextWakeUp() {
        long now = System.nanoTime();
        long wakeUp = now + config.flushInterval().toNanos();
        if (intervals != null) {
            wakeUp = Math.min(wakeUp, now + Math.max(0, intervals.nextLookWall(lateStoreNanos) - clock.wallTimeNanos()));
        }
        return wakeUp;
    }

    /** Drains every buffer, batch after batch, until a batch comes out short. */
    private void writeEverything() {
        int taken;
        do {
            raw.startPass();
            encoder.startBatch();
            settledAtBatchStart = batches.settled();
            batchOpen = true;
            taken = fillBatch();
            if (encoder.points() > 0) {
                batches.deliverBatch();
            }
            batchOpen = false;
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
     * Called by {@link RetryingSender} every few milliseconds while it waits to send again (an
     * outage): reads the aggregated calls if the buffer is filling ({@link #drainWhileWaiting}), and
     * says what is being dropped, at most once a minute, while it is being dropped.
     *
     * @return whether to make the next attempt now: a flush was asked for since the pass began
     */
    RetryingSender.Next whileWaiting() {
        if (spool != null && spool.accepting()
                && ledger.counts().buffered() - ledger.inSpool() >= config.bufferCapacity() / 2) {
            return RetryingSender.Next.PUT_ASIDE; // the memory buffer is half full: the spool takes the batches
        }
        drainWhileWaiting();
        reportLosses();
        long requested = flushRequested.get();
        if (requested != passServes && requested != hurriedFor) {
            hurriedFor = requested;
            return RetryingSender.Next.ATTEMPT_NOW;
        }
        return RetryingSender.Next.WAIT;
    }

    /**
     * Delivers what the spool holds, oldest first: records this process put aside, and those an
     * earlier one left. New calls go first: a pass that finds a batch's worth waiting stops here,
     * and the next pass goes on. A record the server refuses for what it holds is counted (this
     * process's points as refused) and not sent again; one it cannot take now stays in the spool.
     *
     * <p>While batches are put aside, the oldest record is the probe, when one is due
     * ({@link BatchDelivery#probeDue}): with no new call to try, the server's return would otherwise
     * go unnoticed. The file being written is closed for it, so that its records can be read.
     */
    private void replaySpool(boolean last) {
        boolean probing = batches.spooling();
        if (probing) {
            if (!batches.probeDue()) {
                return;
            }
            spool.closeWritingQuietly();
        }
        for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
            boolean own = spool.isOwn();
            RetryingSender.Sent sent = probing ? retrying.attempt(record.bytes(), 0, record.length())
                    : retrying.send(record.bytes(), 0, record.length());
            if (probing) {
                batches.probed(sent != RetryingSender.Sent.PUT_ASIDE);
                probing = false;
            }
            if (sent == RetryingSender.Sent.PUT_ASIDE || sent == RetryingSender.Sent.GAVE_UP) {
                return; // the server went away again, or the stop's deadline passed: it stays in the spool
            }
            LineSender.WriteException e = sent.answer();
            if (record.aggregated()) {
                boolean taken = e == null || e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() == 0;
                if (own) {
                    ledger.aggregatedSent(record.calls(), taken);
                }
                spool.done(record, taken ? record.points() : 0);
                continue;
            }
            int refused = e == null ? 0
                    : e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() >= 0
                            ? Math.min(e.rejectedPoints(), record.points()) : record.points();
            if (e != null && refused > 0) {
                batches.rejected(own ? refused : 0, refused + " points from the spool", e);
            }
            spool.done(record, record.points() - refused);
            if (!last && (raw.batchWaiting() || stop.stopping())) {
                return;
            }
        }
        if (probing) {
            batches.spoolingEnds(); // nothing in the spool to probe with: batches are tried again, as without one
        }
    }

    /**
     * While the writer waits to send again, the buffer fills: once it is half full, the
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

    /**
     * Builds the points of every interval no call still to come can have ended in; with {@code now}
     * (a flush, a stop), also those of the interval under way, cut at this moment; with {@code last}
     * (the stop), every interval still open. They wait to be sent by {@link #deliverAggregates}.
     */
    private void writeAggregates(boolean now, boolean last) {
        if (now) {
            intervals.closeAt(clock.wallTimeNanos(), last);
        } else {
            closeIntervalsBehindHorizon();
        }
    }

    private void closeIntervalsBehindHorizon() {
        if (horizonNanos != Long.MIN_VALUE) {
            intervals.closeBehind(horizonNanos + encoder.wallMinusMonotonic(), clock.wallTimeNanos());
        }
    }

    /**
     * Sends the closed intervals' points, oldest first, retrying as raw batches are; what the
     * server refuses, or what is still unsent at the shutdown deadline, is counted as the calls it
     * counts, and logged. Sending may wait out an outage, during which more intervals are closed.
     */
    private void deliverAggregates() {
        for (IntervalWriter.Points next = intervals.nextToSend(); next != null; next = intervals.nextToSend()) {
            RetryingSender.Sent sent = retrying.send(next.lines().array(), 0, next.lines().length());
            if (sent == RetryingSender.Sent.PUT_ASIDE) {
                return; // the raw batches go to the spool first; these points wait, within IntervalWriter's bound
            }
            if (sent == RetryingSender.Sent.GAVE_UP && intervals.putAside(next)) {
                intervals.sent(next); // the stop's deadline passed: left in the spool for the next process
                continue;
            }
            intervals.sent(next);
            LineSender.WriteException e = sent.answer();
            // Everything taken, or a partial write that refused nothing.
            boolean taken = sent == RetryingSender.Sent.TAKEN
                    || e != null && e.failure() != LineSender.Failure.REFUSED && e.rejectedPoints() == 0;
            ledger.aggregatedSent(next.calls(), taken);
            if (!taken && e != null) {
                batches.rejected(0, "the aggregated points of an interval (counting " + next.calls() + " calls)", e);
            }
        }
    }

    /** At a stop while batches are put aside: every interval's points go to the spool, or are counted as lost. */
    private void putAsideAggregates() {
        for (IntervalWriter.Points next = intervals.nextToSend(); next != null; next = intervals.nextToSend()) {
            if (!intervals.putAside(next)) {
                ledger.aggregatedSent(next.calls(), false);
            }
            intervals.sent(next);
        }
    }

    /**
     * Logs what was dropped since the last such message, at most once a minute: between passes, and
     * while a retry waits (calls are dropped then, when the buffer is full).
     */
    private void reportLosses() {
        if (!lossReports.due()) {
            return; // first: while a retry waits, this runs every few milliseconds
        }
        Losses now = ledger.losses(false);
        if (now.total() <= lossesReported.total()) {
            // Nothing new; or fewer: an aggregated call that found the buffer full is counted as
            // dropped for a moment, until the aggregated mode has counted it instead.
            return;
        }
        Losses recent = now.since(lossesReported);
        long since = lossReports.sinceLast();
        String lead = since < 0 ? "" : "in the last " + Duration.ofNanos(since).toSeconds() + " s, ";
        LOG.log(System.Logger.Level.WARNING, recent.describe(-1, lead, RetryingSender.where(config), config.bufferCapacity(),
                stop.timeout()) + " (" + now.total() + " since the start; see RawMetrics.stats())");
        lossesReported = now;
        lossReports.saidNow();
    }
}
