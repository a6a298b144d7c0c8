package io.rawmetrics.internal.buffer;

import io.rawmetrics.internal.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The calls waiting to be read, as the writer sees them: every recording thread's buffer
 * ({@link ThreadBuffer}), the buffers shared by threads' first calls ({@link FirstCalls}), the
 * pool of chunks they take from ({@link ChunkPool}, the memory bound), and the counts of calls
 * recorded and dropped by threads that have ended.
 *
 * <p><b>Threading.</b> {@link #firstCalls} and {@link #ownBuffer} are called by recording threads,
 * once each per thread; the chunk-filled count by any of them once per chunk. Everything else is
 * the writer thread's; the counts may be read from any thread.
 */
public final class RawBuffers {

    /** Reads a buffer: hands at most {@code limit} of its calls on, and adds the chunks emptied to {@code consumed}. */
    @FunctionalInterface
    public interface Reader {
        int read(ThreadBuffer buffer, int limit, List<Chunk> consumed);
    }

    /** See {@link #takeOldestFirst}. */
    private static final Comparator<Object> OLDEST_WAITING_FIRST =
            Comparator.comparingLong(buffer -> ((ThreadBuffer) buffer).futureEndsFrom);

    private final ChunkPool pool;
    private final List<ThreadBuffer> buffers = new CopyOnWriteArrayList<>();
    /** Where threads' first calls go; also in {@link #buffers}, never retired. */
    private final ThreadBuffer[] shared;
    private final AtomicInteger nextShared = new AtomicInteger();
    private final AtomicInteger filledChunks = new AtomicInteger();
    private final int chunksPerBatch;
    /** Whether a shared buffer marks where each thread's calls start (the aggregated mode counts requests per thread). */
    private final boolean markOwners;
    private final Clock clock;
    private final long lateStoreNanos;
    private final Runnable wakeWriter;
    /** Chunks whose calls are in the batch being written: recycled once it is delivered or dropped. */
    private final List<Chunk> inFlight = new ArrayList<>();
    /** Chunks emptied by {@link #takeAll}: recycled at once. */
    private final List<Chunk> emptied = new ArrayList<>();
    private volatile long retiredDropped;
    private volatile long retiredRecorded;
    /** Calls dropped while the recorder started because too many waited ({@link io.rawmetrics.internal.lifecycle.StartingRecorder}); set once. */
    private volatile long droppedWhileStarting;
    /**
     * While calls made before these buffers existed are being handed to them: the earliest end time
     * they can have ({@link Long#MAX_VALUE} once none is still to come). A thread handing them over
     * stores calls that ended long before its visits, so the horizon is held here until it is done.
     */
    private volatile long handOverFloor;
    /** {@link #handOverFloor} as read when the writer's pass started: see {@link #startPass}. */
    private long passFloor;

    /**
     * @param capacity       calls the buffers hold at most, those being written included
     * @param batchSize      calls per batch: the writer is woken when a batch's worth of chunks has filled
     * @param markOwners     whether a shared buffer marks where each thread's calls start, for a
     *                       reader that counts calls per thread
     * @param withSpans      whether calls may carry the span context they ran in
     *                       ({@link CallBuffer#appendInSpan})
     * @param lateStoreNanos how long after reading its end time a thread may take to store a call
     * @param handOverFloor  the earliest end of the calls that will be handed over, made before these
     *                       buffers existed ({@code System.nanoTime()}), or {@link Long#MAX_VALUE} for none
     * @param wakeWriter     wakes the writer thread
     */
    public RawBuffers(int capacity, int batchSize, boolean markOwners, boolean withSpans, Clock clock, long lateStoreNanos,
            long handOverFloor, Runnable wakeWriter) {
        this.pool = new ChunkPool(capacity, withSpans);
        this.chunksPerBatch = Math.max(1, batchSize / pool.chunkSize());
        this.markOwners = markOwners;
        this.clock = clock;
        this.lateStoreNanos = lateStoreNanos;
        this.handOverFloor = handOverFloor;
        this.passFloor = handOverFloor;
        this.wakeWriter = wakeWriter;
        // As many as threads can append at once, within reason: each holds a chunk once used.
        this.shared = new ThreadBuffer[Math.min(Runtime.getRuntime().availableProcessors(), 8)];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = newBuffer(null);
            buffers.add(shared[i]);
        }
    }

    /**
     * A thread's first call: its calls go to a shared buffer until it has made enough of them
     * ({@link FirstCalls}); then {@code giveOwnBuffer} runs on it, and returns its own buffer.
     */
    public CallBuffer firstCalls(Supplier<CallBuffer> giveOwnBuffer) {
        ThreadBuffer buffer = shared[Math.floorMod(nextShared.getAndIncrement(), shared.length)];
        return new FirstCalls(buffer, giveOwnBuffer, markOwners);
    }

    /** A buffer of {@code owner}'s own, from now on read by the writer. */
    public ThreadBuffer ownBuffer(Thread owner) {
        ThreadBuffer own = newBuffer(owner);
        buffers.add(own);
        return own;
    }

    private ThreadBuffer newBuffer(Thread owner) {
        ThreadBuffer buffer = new ThreadBuffer(owner, pool, this::chunkFilled);
        // A buffer made during the hand-over may receive calls as old as the floor; until the writer
        // has visited it, that is what it says, even once the floor is lifted.
        buffer.futureEndsFrom = Math.min(clock.monotonicNanos() - lateStoreNanos, handOverFloor);
        return buffer;
    }

    /** Rare path (once per chunk): wakes the writer when a batch's worth of chunks has filled. */
    private void chunkFilled() {
        if (filledChunks.incrementAndGet() == chunksPerBatch) {
            wakeWriter.run();
        }
    }

    /** Whether a batch's worth of chunks has filled since the writer's last pass. */
    public boolean batchWaiting() {
        return filledChunks.get() >= chunksPerBatch;
    }

    /** Whether half the buffers' capacity has filled since the writer's last pass. */
    public boolean halfFull() {
        return filledChunks.get() >= pool.maxChunks() / 2;
    }

    /**
     * The writer starts a pass: chunks filled are counted from now, and the hand-over floor is read
     * now, before any visit. A visit during the hand-over can find the buffer being handed over to
     * drained for a moment; combined with a floor lifted after that visit, it would let the writer
     * close intervals whose calls are still to be read. Every call handed over before the floor was
     * lifted is visible to the visits of a pass that starts after.
     */
    public void startPass() {
        filledChunks.set(0);
        passFloor = handOverFloor;
    }

    /** Every call made before these buffers existed has been handed to them. */
    public void handedOver() {
        handOverFloor = Long.MAX_VALUE;
    }

    /**
     * Takes up to {@code limit} calls, from the buffer whose calls waiting are the oldest first,
     * until {@code full} says the reader has no room: the buffers are drained in step in time, so no
     * thread's calls wait behind another's, and the encoder need only remember the timestamps since
     * the buffer furthest behind (taken round-robin instead, two busy threads drift apart, and
     * with them what the encoder must remember: docs/performance.md, the figures behind the code's choices). The chunks emptied are in flight until {@link #recycleInFlight}.
     *
     * @return the calls taken
     */
    public int takeOldestFirst(Reader reader, int limit, BooleanSupplier full) {
        Object[] snapshot = buffers.toArray();
        Arrays.sort(snapshot, OLDEST_WAITING_FIRST);
        int taken = 0;
        for (int k = 0; k < snapshot.length && taken < limit && !full.getAsBoolean(); k++) {
            ThreadBuffer buffer = (ThreadBuffer) snapshot[k];
            long visit = clock.monotonicNanos();
            taken += reader.read(buffer, limit - taken, inFlight);
            buffer.visited(visit, lateStoreNanos);
        }
        return taken;
    }

    /** Reads every buffer as far as {@code reader} takes; the chunks emptied are recycled at once. */
    public void takeAll(Reader reader) {
        for (ThreadBuffer buffer : buffers) {
            long visit = clock.monotonicNanos();
            reader.read(buffer, Integer.MAX_VALUE, emptied);
            buffer.visited(visit, lateStoreNanos);
        }
        for (Chunk chunk : emptied) {
            pool.release(chunk);
        }
        emptied.clear();
    }

    /**
     * The earliest end time ({@code System.nanoTime()}) a call still to come can have, as of the
     * current pass: see {@link ThreadBuffer#visited}, and {@link #startPass} for calls handed over.
     */
    public long futureEndsFrom() {
        long from = passFloor;
        for (ThreadBuffer buffer : buffers) {
            from = Math.min(from, buffer.futureEndsFrom);
        }
        return from;
    }

    /** The batch in flight is delivered or dropped: its chunks go back to the pool. */
    public void recycleInFlight() {
        for (Chunk chunk : inFlight) {
            pool.release(chunk);
        }
        inFlight.clear();
    }

    /** Forgets the buffers of threads that have ended and whose calls are all read, keeping their counts. */
    public void retireDeadThreads() {
        for (ThreadBuffer buffer : buffers) {
            // A dead owner appends nothing more (Thread.isAlive() synchronizes with its end).
            if (buffer.owner != null && !buffer.owner.isAlive() && buffer.isDrained()) {
                retiredDropped += buffer.dropped();
                retiredRecorded += buffer.recorded();
                buffers.remove(buffer);
                Chunk last = buffer.lastChunk();
                if (last != null) {
                    last.reset();
                    pool.release(last);
                }
            }
        }
    }

    /** Calls recorded, dropped ones included (see {@link ThreadBuffer#recorded()} for its precision). */
    public long recorded() {
        long recorded = retiredRecorded + droppedWhileStarting;
        for (ThreadBuffer buffer : buffers) {
            recorded += buffer.recorded();
        }
        return recorded;
    }

    /** Calls dropped because the buffers were full, when they were made or while the recorder started. */
    public long dropped() {
        long dropped = retiredDropped + droppedWhileStarting;
        for (ThreadBuffer buffer : buffers) {
            dropped += buffer.dropped();
        }
        return dropped;
    }

    /** Calls that could not wait for the recorder to start: they count as dropped because the buffer was full. */
    public void droppedWhileStarting(long calls) {
        droppedWhileStarting = calls;
    }
}
