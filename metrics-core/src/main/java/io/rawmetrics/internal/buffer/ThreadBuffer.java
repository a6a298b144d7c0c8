package io.rawmetrics.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One recording thread's calls: a single-producer single-consumer chain of {@link Chunk}s.
 *
 * <p><b>Threading contract.</b> {@link #append} is called only by {@link #owner} (or, for a buffer
 * shared by threads' first calls, which has no owner, by one thread at a time under the buffer's
 * lock: see {@link FirstCalls}) and is wait-free:
 * it stores two times (and the site when it differs from the previous call's) and makes them
 * visible with one release store; every 256th call or so it takes a chunk from the pool. The
 * consumer methods ({@link #drainTo}, {@link #isDrained}, {@link #lastChunk}) are called only by
 * the writer thread. The two sides share no lock and write no common field: the producer writes
 * slots, {@code Chunk.size}, {@code Chunk.next} and its fields in {@link ThreadBufferProducerSide};
 * the consumer writes only its fields in {@link ThreadBufferConsumerSide}.
 *
 * <p><b>Layout.</b> The producer's fields sit between 64-byte pads, apart from the consumer's and
 * from whatever object the garbage collector happens to place next to this one: sharing a cache
 * line with data another core writes costs a cache miss per call (docs/performance.md, the figures behind the code's choices).
 *
 * <p>The chain starts with an empty, zero-capacity chunk, so the producer's first append goes
 * through the same "chunk full" branch as every later roll-over: no null check on the hot path.
 */
public final class ThreadBuffer extends ThreadBufferPadC {

    private static final VarHandle DROPPED;
    private static final VarHandle FILLED;
    private static final VarHandle MARKS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DROPPED = lookup.findVarHandle(ThreadBufferProducerSide.class, "dropped", long.class);
            FILLED = lookup.findVarHandle(ThreadBufferProducerSide.class, "filledSlots", long.class);
            MARKS = lookup.findVarHandle(ThreadBufferProducerSide.class, "marks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The thread that appends; {@code null} for a buffer shared under its lock, which is never retired. */
    public final Thread owner;
    private final ChunkPool pool;
    private final Runnable onChunkFilled;

    ThreadBuffer(Thread owner, ChunkPool pool, Runnable onChunkFilled) {
        this.owner = owner;
        this.pool = pool;
        this.onChunkFilled = onChunkFilled;
        this.tail = new Chunk(0, -1, false);
        this.head = tail;
    }

    /** Producer: records one call, or counts it as dropped if the pool is exhausted. */
    @Override
    public boolean append(Object site, long startNanos, long endNanos, Object error) {
        return store(site, startNanos, endNanos, error, null);
    }

    @Override
    public boolean appendInSpan(Object site, long startNanos, long endNanos, Object error, Object span) {
        return store(site, startNanos, endNanos, error, span);
    }

    /** One body for both: inlined into {@link #append}, the JIT drops the span's branch. */
    boolean store(Object site, long startNanos, long endNanos, Object error, Object span) {
        Chunk chunk = tail;
        int i = tailSize;
        if (i == chunk.capacity) {
            chunk = rollOver(chunk);
            if (chunk == null) {
                DROPPED.setRelease(this, (long) DROPPED.get(this) + 1);
                return false;
            }
            i = 0;
        }
        // Reference stores cost a GC write barrier each: store the site only when it changes and
        // the error only when there is one (recycled chunks come back with every slot null).
        if (site != tailSite) {
            chunk.refs[2 * i] = site;
            tailSite = site;
        }
        if (error != null) {
            chunk.refs[2 * i + 1] = error;
        }
        if (span != null) {
            chunk.spans[i] = span;
            chunk.holdsSpans = true;
        }
        chunk.times[2 * i] = startNanos;
        chunk.times[2 * i + 1] = endNanos;
        chunk.publish(i + 1);
        tailSize = i + 1;
        return true;
    }

    @Override
    public void uncountDrop() {
        DROPPED.setRelease(this, (long) DROPPED.get(this) - 1);
    }

    @Override
    public void appendMark(Object mark, long startNanos, long endNanos) {
        if (append(mark, startNanos, endNanos, null)) {
            MARKS.setRelease(this, (long) MARKS.get(this) + 1);
        } else {
            uncountDrop(); // a mark is not a call: its loss is not a call's
        }
    }

    /** The rare path of {@link #append}: the current chunk is full. */
    private Chunk rollOver(Chunk full) {
        Chunk fresh = pool.acquire();
        if (fresh == null) {
            return null;
        }
        full.linkNext(fresh);
        FILLED.setRelease(this, filledSlots + full.capacity);
        tail = fresh;
        tailSize = 0;
        tailSite = null; // each chunk names its first call's site, so it can be read on its own
        if (full.capacity != 0) {
            onChunkFilled.run();
        }
        return fresh;
    }

    /**
     * Calls recorded by the owner so far, dropped ones included. Any thread: exact once the owner
     * is idle, a close snapshot while it records (its count within the current chunk is read
     * without synchronising, so as not to cost the producer a store per call).
     */
    long recorded() {
        return (long) FILLED.getAcquire(this) + tailSize + dropped() - (long) MARKS.getAcquire(this);
    }

    /** Calls dropped so far because the pool was exhausted. Any thread. */
    long dropped() {
        return (long) DROPPED.getAcquire(this);
    }

    /**
     * Consumer: hands at most {@code limit} published calls to {@code sink}, oldest first, in runs
     * of calls of one site that ended the same way, stopping early at a call the sink has no room
     * for (it stays in the buffer, to be handed over next time), and adds the chunks that are now
     * fully consumed and no longer written to, emptied, to {@code consumed}. The caller gives those
     * back to the pool once their calls are written, so that calls in flight count against the
     * capacity too.
     *
     * @return the number of calls the sink took
     */
    public int drainTo(CallSink sink, int limit, List<Chunk> consumed) {
        int taken = 0;
        Chunk chunk = head;
        while (taken < limit) {
            int published = chunk.published();
            int from = headConsumed;
            int end = from + Math.min(published - from, limit - taken); // not from + (limit - taken): limit may be Integer.MAX_VALUE
            int i = from;
            boolean sinkFull = false;
            while (i < end) {
                Object site = chunk.refs[2 * i];
                if (site != null) {
                    headSite = site;
                }
                Object error = chunk.refs[2 * i + 1];
                int runEnd = runEnd(chunk.refs, i + 1, end, error);
                int next = sink.accept(headSite, error, chunk.times, chunk.holdsSpans ? chunk.spans : null, i, runEnd);
                if (next > i) {
                    lastEnd = chunk.times[2 * next - 1];
                }
                i = next;
                if (i < runEnd) {
                    sinkFull = true;
                    break;
                }
            }
            taken += i - from;
            headConsumed = i;
            if (sinkFull || i < chunk.capacity) {
                break; // the sink is full, the producer is still filling this chunk, or the limit was reached
            }
            Chunk next = chunk.next();
            if (next == null) {
                break; // full, but the producer has not got a new chunk yet
            }
            if (chunk.capacity != 0) {
                // Emptied now, while its slots are in this core's cache: by the time the batch is
                // delivered, the batch's own bytes have pushed them out (half a nanosecond a call).
                chunk.reset();
                consumed.add(chunk);
            }
            chunk = next;
            head = chunk;
            headConsumed = 0;
        }
        return taken;
    }

    /**
     * Where the run that includes the call before {@code from} ends: at the next call of another
     * site or outcome, or at {@code end}.
     */
    private static int runEnd(Object[] refs, int from, int end, Object error) {
        int i = from;
        while (i < end && refs[2 * i] == null && refs[2 * i + 1] == error) {
            i++;
        }
        return i;
    }

    /**
     * Consumer, after a {@link #drainTo} that started at {@code visitNanos}: notes the earliest end
     * time a call still to come from this buffer can have ({@link #futureEndsFrom}). An owner's
     * calls are stored in the order they end, so while calls wait here, those still to come end
     * after the last one handed over. Once every call is handed over, one still to come may have
     * read its end time before the visit and been descheduled before storing it: up to
     * {@code lateStoreNanos} before. A shared buffer takes calls of several threads, under a lock,
     * in the order they get it: the margin applies always.
     */
    void visited(long visitNanos, long lateStoreNanos) {
        boolean drained = isDrained();
        long from = drained ? visitNanos : lastEnd;
        futureEndsFrom = drained || owner == null ? from - lateStoreNanos : from;
    }

    /** Consumer: whether every published call has been handed over. */
    boolean isDrained() {
        return headConsumed == head.published() && head.next() == null;
    }

    /** Consumer: the thread whose calls a drain reads first: the owner, or, for a shared buffer, whose were read last. */
    public Thread readingThread() {
        return owner != null ? owner : lastReadOwner;
    }

    /** Consumer: a drain of a shared buffer ended in {@code thread}'s calls, where the next one begins. */
    public void readUpTo(Thread thread) {
        if (owner == null) {
            lastReadOwner = thread;
        }
    }

    /** Consumer, once the owner has died and the buffer is drained: its last chunk, or {@code null}. */
    Chunk lastChunk() {
        return head.capacity != 0 ? head : null;
    }

    /**
     * Receives drained calls, a run at a time (see {@link ThreadBuffer#drainTo}): the writer's
     * encoder then loops over a run's calls itself, with the run's site and series at hand, instead
     * of being called once per call (it is too large for the JIT to inline into the drain loop).
     */
    @FunctionalInterface
    public interface CallSink {
        /**
         * Takes calls {@code from} to {@code to} (exclusive) of a chunk, whose start and end times are
         * {@code times[2i]} and {@code times[2i + 1]}: all of {@code site}, all ended the same way
         * ({@code error}, the class of what they threw, or {@code null}). {@code spans[i]} is the
         * span context call {@code i} ran in, or {@code null}; {@code spans} is {@code null} when
         * the buffers keep none.
         *
         * @return the first call not taken: {@code to}, or less when the sink has no room for more
         *         (a batch at its size limit)
         */
        int accept(Object site, Object error, long[] times, Object[] spans, int from, int to);
    }
}

/** 64 bytes (and the 4-byte hole after the object header) between the previous object and the producer's fields. */
abstract class ThreadBufferPadA extends CallBuffer {
    int a0;
    long a1, a2, a3, a4, a5, a6, a7, a8;
}

/** Written by the owner thread on every call. */
abstract class ThreadBufferProducerSide extends ThreadBufferPadA {
    Chunk tail;
    int tailSize;
    /** The site last stored in {@link #tail}: a slot whose site is the same as the one before keeps it null. */
    Object tailSite;
    long dropped; // accessed through ThreadBuffer.DROPPED
    /** Slots of the chunks the producer has moved past; accessed through ThreadBuffer.FILLED. */
    long filledSlots;
    /** Slots holding {@link CallBuffer#appendMark marks}, not calls; accessed through ThreadBuffer.MARKS. */
    long marks;
    /** A shared buffer: the {@link FirstCalls} whose calls it stores now; under the buffer's lock. */
    FirstCalls lastMarked;
}

abstract class ThreadBufferPadB extends ThreadBufferProducerSide {
    int b0;
    long b1, b2, b3, b4, b5, b6, b7, b8;
}

/** Written by the writer thread while it drains. */
abstract class ThreadBufferConsumerSide extends ThreadBufferPadB {
    Chunk head;
    /** Slots of {@link #head} already handed over. */
    int headConsumed;
    Object headSite;
    /** The end time of the last call handed over. */
    long lastEnd = Long.MIN_VALUE;
    /** A shared buffer: the thread whose calls the writer read last ({@link FirstCalls}' marks). */
    Thread lastReadOwner;
    /**
     * No call still to come from this buffer ended before this ({@code System.nanoTime()}); set by
     * its creator, then by {@link ThreadBuffer#visited}. Read by the writer only.
     */
    long futureEndsFrom;
}

abstract class ThreadBufferPadC extends ThreadBufferConsumerSide {
    int c0;
    long c1, c2, c3, c4, c5, c6, c7, c8;
}
