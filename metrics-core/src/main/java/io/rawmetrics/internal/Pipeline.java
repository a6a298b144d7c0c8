package io.rawmetrics.internal;

import io.rawmetrics.RawMetricsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
 * most {@code batchSize} points and sends each one. While a batch cannot be delivered it keeps
 * retrying that batch with capped exponential back-off and drains nothing else, so during an
 * outage points wait in the compact buffers (24 bytes each) rather than as encoded text.
 */
public final class Pipeline extends PipelinePadB implements CallRecorder {

    private static final System.Logger LOG = System.getLogger("io.rawmetrics");
    private static final long FIRST_RETRY_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_RETRY_NANOS = Duration.ofSeconds(30).toNanos();
    private static final long REJECTION_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final RawMetricsConfig config;
    private final LineSender sender;
    private final HostIdentity host;
    private final Clock clock;
    private final StringBuilder selfMetricsLine = new StringBuilder(256);
    private final LineBuffer selfMetricsBytes = new LineBuffer(256);
    private final ChunkPool pool;
    private final BatchEncoder encoder;
    private final List<ThreadBuffer> buffers = new CopyOnWriteArrayList<>();
    /** Where threads' first calls go (see {@link FirstCalls}); also in {@link #buffers}, never retired. */
    private final ThreadBuffer[] sharedBuffers;
    private final AtomicInteger nextSharedBuffer = new AtomicInteger();
    /** Chunks whose calls are in the batch being written: recycled once it is delivered or dropped. */
    private final List<Chunk> inFlight = new ArrayList<>();
    private final AtomicInteger filledChunks = new AtomicInteger();
    private final int chunksPerBatch;
    private final Thread writer;

    private final AtomicLong flushRequested = new AtomicLong();
    private final Object flushMonitor = new Object();
    private volatile long flushCompleted;
    private volatile boolean stopping;
    private volatile long stopDeadline;

    // Written by the writer thread only; volatile so that stats can be read from any thread.
    private volatile long delivered;
    private volatile long failedPoints;
    private volatile long retiredDropped;
    private volatile long retiredRecorded;
    private volatile long failedWrites;
    private volatile long retries;
    private long outageStartNanos;
    private long failedWritesAtOutageStart;
    private long droppedAtOutageStart;
    private long abandonedAtShutdown;
    private long lastRejectionLog;
    private int rejectionsSinceLog;
    private int cursor;

    public Pipeline(RawMetricsConfig config, LineSender sender, HostIdentity host, Clock clock) {
        this.config = config;
        this.sender = sender;
        this.host = host;
        this.clock = clock;
        this.pool = new ChunkPool(config.bufferCapacity());
        this.encoder = new BatchEncoder(config.measurement(), host, clock);
        this.chunksPerBatch = Math.max(1, config.batchSize() / pool.chunkSize());
        // As many as threads can append at once, within reason: each holds a chunk once used.
        this.sharedBuffers = new ThreadBuffer[Math.min(Runtime.getRuntime().availableProcessors(), 8)];
        for (int i = 0; i < sharedBuffers.length; i++) {
            sharedBuffers[i] = new ThreadBuffer(null, pool, this::chunkFilled);
            buffers.add(sharedBuffers[i]);
        }
        this.writer = new Thread(this::runWriter, "rawmetrics-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Records one finished call. Any thread; see the class comment for the contract. */
    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        localBuffer.get().append(site, startNanos, endNanos, errorClass);
    }

    /** First call on a thread: its calls go to a shared buffer until it has made enough of them. */
    @Override
    CallBuffer register() {
        ThreadBuffer shared = sharedBuffers[Math.floorMod(nextSharedBuffer.getAndIncrement(), sharedBuffers.length)];
        return new FirstCalls(shared, this::giveOwnBuffer);
    }

    /** A thread past its first calls: from now on it appends to a buffer of its own, without a lock. */
    private void giveOwnBuffer() {
        ThreadBuffer own = new ThreadBuffer(Thread.currentThread(), pool, this::chunkFilled);
        buffers.add(own);
        localBuffer.set(own);
    }

    /** Rare path (once per chunk): wakes the writer when a batch's worth of chunks has filled. */
    private void chunkFilled() {
        if (filledChunks.incrementAndGet() == chunksPerBatch) {
            LockSupport.unpark(writer);
        }
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
     * Writes what is buffered, giving up after {@code timeout}, and stops the writer.
     *
     * @return whether the writer finished within the timeout
     */
    public boolean shutdown(Duration timeout) {
        stopDeadline = System.nanoTime() + timeout.toNanos();
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(Math.max(1, timeout.toMillis() + 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !writer.isAlive();
    }

    /** Points the server accepted. */
    public long delivered() {
        return delivered;
    }

    /** Calls recorded, dropped ones included (see {@link ThreadBuffer#recorded()} for its precision). */
    public long recorded() {
        long recorded = retiredRecorded;
        for (ThreadBuffer buffer : buffers) {
            recorded += buffer.recorded();
        }
        return recorded;
    }

    /** Write attempts that failed, each retry counted. */
    public long failedWrites() {
        return failedWrites;
    }

    /** Batches sent again after a failed attempt. */
    public long retries() {
        return retries;
    }

    /** Calls dropped: buffer full, rejected by the server, undescribable, or still unsent at shutdown. */
    public long dropped() {
        long dropped = retiredDropped + failedPoints + encoder.undescribable();
        for (ThreadBuffer buffer : buffers) {
            dropped += buffer.dropped();
        }
        return dropped;
    }

    private void runWriter() {
        if (config.createDatabase()) {
            createDatabase();
        }
        while (true) {
            awaitWork(System.nanoTime() + config.flushInterval().toNanos());
            boolean last = stopping;
            long target = flushRequested.get();
            try {
                writeEverything();
                retireDeadThreads();
                if (config.selfMetrics() && outageStartNanos == 0) {
                    writeSelfMetrics();
                }
            } catch (Throwable bug) {
                // The writer must outlive any failure of its own (a bug, an OutOfMemoryError while
                // encoding): if it died, every later call would fill the buffer and be dropped.
                failedPoints += encoder.points();
                recycleInFlight();
                LOG.log(System.Logger.Level.ERROR, "rawmetrics: the writer failed; "
                        + encoder.points() + " points of the current batch are dropped", bug);
            }
            synchronized (flushMonitor) {
                flushCompleted = target;
                flushMonitor.notifyAll();
            }
            if (last) {
                break;
            }
        }
        if (abandonedAtShutdown > 0) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: shut down before " + abandonedAtShutdown
                    + " points could be written to " + config.url());
        }
        sender.close();
    }

    /**
     * The library's own counters as one point of measurement {@code rawmetrics}, tagged like the
     * timed calls' points. Best effort: sent once, not retried, not counted.
     */
    private void writeSelfMetrics() {
        long recorded = recorded();
        long dropped = dropped();
        StringBuilder line = selfMetricsLine;
        line.setLength(0);
        LineProtocol.appendMeasurement(line, "rawmetrics").append(",hostname=");
        LineProtocol.appendName(line, host.hostname()).append(",process=");
        LineProtocol.appendName(line, host.process())
                .append(" recorded=").append(recorded).append('i')
                .append(",delivered=").append(delivered).append('i')
                .append(",dropped=").append(dropped).append('i')
                .append(",buffered=").append(Math.max(0, recorded - delivered - dropped)).append('i')
                .append(",failed_writes=").append(failedWrites).append('i')
                .append(",retries=").append(retries).append('i')
                .append(' ').append(clock.wallTimeNanos()).append('\n');
        selfMetricsBytes.clear();
        selfMetricsBytes.append(line);
        try {
            sender.send(selfMetricsBytes);
        } catch (LineSender.WriteException e) {
            LOG.log(System.Logger.Level.DEBUG, "rawmetrics: could not write the library's own counters: " + e.getMessage());
        }
    }

    private void awaitWork(long deadline) {
        while (!stopping && flushRequested.get() == flushCompleted && filledChunks.get() < chunksPerBatch) {
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
            filledChunks.set(0);
            encoder.startBatch();
            taken = fillBatch();
            if (encoder.points() > 0) {
                deliver(encoder.lines(), encoder.points());
            }
            recycleInFlight();
        } while (taken == config.batchSize());
    }

    /** Takes up to a batch from the buffers, starting at a different one each time for fairness. */
    private int fillBatch() {
        Object[] snapshot = buffers.toArray();
        int taken = 0;
        int limit = config.batchSize();
        for (int k = 0; k < snapshot.length && taken < limit; k++) {
            ThreadBuffer buffer = (ThreadBuffer) snapshot[Math.floorMod(cursor + k, snapshot.length)];
            taken += buffer.drainTo(encoder, limit - taken, inFlight);
        }
        cursor++;
        return taken;
    }

    private void retireDeadThreads() {
        for (ThreadBuffer buffer : buffers) {
            // A dead owner appends nothing more (Thread.isAlive() synchronizes with its end).
            if (buffer.owner != null && !buffer.owner.isAlive() && buffer.isDrained()) {
                retiredDropped += buffer.dropped();
                retiredRecorded += buffer.recorded();
                buffers.remove(buffer);
                Chunk last = buffer.lastChunk();
                if (last != null) {
                    pool.release(last);
                }
            }
        }
    }

    private void recycleInFlight() {
        for (Chunk chunk : inFlight) {
            pool.release(chunk);
        }
        inFlight.clear();
    }

    /** Sends one batch, retrying while the failure is worth a retry and the shutdown deadline allows. */
    private void deliver(LineBuffer lines, int points) {
        long backoff = FIRST_RETRY_NANOS;
        boolean recreated = false;
        while (true) {
            try {
                sender.send(lines);
                delivered += points;
                if (outageStartNanos != 0) {
                    LOG.log(System.Logger.Level.INFO, "rawmetrics: writing to " + config.url()
                            + " works again after " + Duration.ofNanos(System.nanoTime() - outageStartNanos)
                            + "; " + (failedWrites - failedWritesAtOutageStart) + " attempts failed meanwhile, "
                            + (dropped() - droppedAtOutageStart) + " calls were dropped, "
                            + Math.max(0, recorded() - delivered - dropped()) + " points are waiting to be written");
                    outageStartNanos = 0;
                }
                return;
            } catch (LineSender.WriteException e) {
                failedWrites++;
                if (!e.retryable() && isDatabaseNotFound(e) && config.createDatabase() && !recreated) {
                    // Dropped while we were running (or never created): create it, send the batch again.
                    recreated = true;
                    createDatabase();
                    continue;
                }
                if (!e.retryable()) {
                    rejected(points, e);
                    return;
                }
                if (outageStartNanos == 0) {
                    outageStartNanos = System.nanoTime();
                    failedWritesAtOutageStart = failedWrites - 1;
                    droppedAtOutageStart = dropped();
                    LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot write to InfluxDB at " + config.url()
                            + " (" + e.getMessage() + "); keeping up to " + config.bufferCapacity()
                            + " points and retrying");
                }
                if (!pause(backoff)) {
                    failedPoints += points;
                    abandonedAtShutdown += points;
                    return;
                }
                retries++;
                backoff = Math.min(MAX_RETRY_NANOS, backoff * 2);
            }
        }
    }

    /**
     * The server refused the batch, or part of it: never sent again. A partial write stored the
     * valid points; the others are counted as dropped. Logged at most once a minute, with the
     * number of rejections in between, so a bad setting (a wrong password, a missing database)
     * doesn't flood the log.
     */
    private void rejected(int points, LineSender.WriteException e) {
        int refused = e.rejectedPoints() == LineSender.WriteException.WHOLE_BATCH
                ? points : Math.min(points, e.rejectedPoints());
        delivered += points - refused;
        failedPoints += refused;
        rejectionsSinceLog++;
        long now = System.nanoTime();
        if (lastRejectionLog == 0 || now - lastRejectionLog >= REJECTION_LOG_INTERVAL_NANOS) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: InfluxDB at " + where() + " refused "
                    + refused + " of a batch of " + points + " points, which are dropped"
                    + (rejectionsSinceLog > 1 ? " (" + rejectionsSinceLog + " batches refused since the last such message)" : "")
                    + ": " + e.getMessage()
                    + (isDatabaseNotFound(e) && !config.createDatabase()
                            ? "; create database " + config.database() + ", or set rawmetrics.influxdb.create-database=true"
                            : ""));
            lastRejectionLog = now;
            rejectionsSinceLog = 0;
        }
    }

    private static boolean isDatabaseNotFound(LineSender.WriteException e) {
        return e.getMessage() != null && e.getMessage().contains("database not found");
    }

    /** The server, and the user if any (never the password), for log messages. */
    private String where() {
        return config.url() + (config.username() == null ? "" : " (user " + config.username() + ")");
    }

    /** Runs CREATE DATABASE, retrying while the server is unreachable; points wait in the buffer meanwhile. */
    private void createDatabase() {
        long backoff = FIRST_RETRY_NANOS;
        boolean warned = false;
        while (true) {
            try {
                sender.createDatabase();
                if (warned) {
                    LOG.log(System.Logger.Level.INFO, "rawmetrics: InfluxDB at " + config.url() + " answers again");
                }
                return;
            } catch (LineSender.WriteException e) {
                if (!e.retryable()) {
                    LOG.log(System.Logger.Level.ERROR, "rawmetrics: InfluxDB at " + where() + ": " + e.getMessage());
                    return;
                }
                if (!warned) {
                    warned = true;
                    LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot reach InfluxDB at " + config.url()
                            + " to create database " + config.database() + " (" + e.getMessage() + "); keeping up to "
                            + config.bufferCapacity() + " points and retrying");
                }
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(MAX_RETRY_NANOS, backoff * 2);
            }
        }
    }

    /**
     * Waits about {@code nanos} (with jitter, so that many processes don't retry in step), or less
     * if shutting down.
     *
     * @return false if the shutdown deadline has passed and the caller should give up
     */
    private boolean pause(long nanos) {
        long deadline = System.nanoTime() + nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
        while (true) {
            long now = System.nanoTime();
            if (stopping) {
                if (now - stopDeadline >= 0) {
                    return false;
                }
                deadline = Math.min(deadline, stopDeadline);
            }
            if (now - deadline >= 0) {
                return true;
            }
            LockSupport.parkNanos(this, deadline - now);
        }
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
