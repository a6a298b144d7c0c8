package io.rawmetrics.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * One recording thread's calls: a single-producer single-consumer chain of {@link Chunk}s.
 *
 * <p><b>Threading contract.</b> {@link #append} is called only by {@link #owner} and is wait-free:
 * it stores two times (and the site when it differs from the previous call's) and makes them
 * visible with one release store; every 256th call or so it takes a chunk from the pool. The consumer methods ({@link #drainTo}, {@link #isDrained}, {@link #lastChunk}) are called only by the writer
 * thread. The two sides share no lock and write no common field: the producer writes slots,
 * {@code Chunk.size}, {@code Chunk.next} and {@link #dropped}; the consumer writes
 * {@code Chunk.consumed} and {@link #head}.
 *
 * <p>The chain starts with an empty, zero-capacity chunk, so the producer's first append goes
 * through the same "chunk full" branch as every later roll-over: no null check on the hot path.
 */
final class ThreadBuffer {

    private static final VarHandle DROPPED;

    static {
        try {
            DROPPED = MethodHandles.lookup().findVarHandle(ThreadBuffer.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread owner;
    private final ChunkPool pool;
    private final Runnable onChunkFilled;

    // Producer side.
    private Chunk tail;
    private int tailSize;
    /** The site last stored in {@link #tail}: a slot whose site is the same as the one before keeps it null. */
    private Object tailSite;
    @SuppressWarnings("unused") // accessed through DROPPED
    private long dropped;

    // Consumer side.
    private Chunk head;
    private Object headSite;

    ThreadBuffer(Thread owner, ChunkPool pool, Runnable onChunkFilled) {
        this.owner = owner;
        this.pool = pool;
        this.onChunkFilled = onChunkFilled;
        this.tail = new Chunk(0, -1);
        this.head = tail;
    }

    /** Producer: records one call, or counts it as dropped if the pool is exhausted. */
    void append(Object site, long startNanos, long endNanos, Object error) {
        Chunk chunk = tail;
        int i = tailSize;
        if (i == chunk.capacity) {
            chunk = rollOver(chunk);
            if (chunk == null) {
                DROPPED.setRelease(this, (long) DROPPED.get(this) + 1);
                return;
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
        chunk.times[2 * i] = startNanos;
        chunk.times[2 * i + 1] = endNanos;
        chunk.publish(i + 1);
        tailSize = i + 1;
    }

    /** The rare path of {@link #append}: the current chunk is full. */
    private Chunk rollOver(Chunk full) {
        Chunk fresh = pool.acquire();
        if (fresh == null) {
            return null;
        }
        full.linkNext(fresh);
        tail = fresh;
        tailSize = 0;
        tailSite = null; // each chunk names its first call's site, so it can be read on its own
        if (full.capacity != 0) {
            onChunkFilled.run();
        }
        return fresh;
    }

    /** Calls dropped so far because the pool was exhausted. Any thread. */
    long dropped() {
        return (long) DROPPED.getAcquire(this);
    }

    /**
     * Consumer: hands at most {@code limit} published calls to {@code sink}, oldest first, and adds
     * the chunks that are now fully consumed and no longer written to to {@code consumed}. The
     * caller gives those back to the pool once their calls are written, so that calls in flight
     * count against the capacity too.
     *
     * @return the number of calls handed over
     */
    int drainTo(CallSink sink, int limit, List<Chunk> consumed) {
        int taken = 0;
        Chunk chunk = head;
        while (taken < limit) {
            int published = chunk.published();
            int i = chunk.consumed;
            int end = Math.min(published, i + (limit - taken));
            for (; i < end; i++) {
                Object site = chunk.refs[2 * i];
                if (site != null) {
                    headSite = site;
                }
                sink.accept(headSite, chunk.times[2 * i], chunk.times[2 * i + 1], chunk.refs[2 * i + 1]);
            }
            taken += end - chunk.consumed;
            chunk.consumed = end;
            if (end < chunk.capacity) {
                break; // the producer is still filling this chunk, or the limit was reached
            }
            Chunk next = chunk.next();
            if (next == null) {
                break; // full, but the producer has not got a new chunk yet
            }
            if (chunk.capacity != 0) {
                consumed.add(chunk);
            }
            chunk = next;
            head = chunk;
        }
        return taken;
    }

    /** Consumer: whether every published call has been handed over. */
    boolean isDrained() {
        Chunk chunk = head;
        return chunk.consumed == chunk.published() && chunk.next() == null;
    }

    /** Consumer, once the owner has died and the buffer is drained: its last chunk, or {@code null}. */
    Chunk lastChunk() {
        return head.capacity != 0 ? head : null;
    }

    /** Receives drained calls; see {@link ThreadBuffer#drainTo}. */
    @FunctionalInterface
    interface CallSink {
        void accept(Object site, long startNanos, long endNanos, Object error);
    }
}
