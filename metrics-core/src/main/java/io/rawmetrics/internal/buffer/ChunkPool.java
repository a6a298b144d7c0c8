package io.rawmetrics.internal.buffer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory bound of the recorder: at most {@code maxChunks} chunks exist, allocated lazily and
 * recycled by the writer thread once their calls are written. When none is free, a recording
 * thread drops its call (and counts it) instead of waiting: recording never blocks.
 *
 * <p>Producers come here once per {@code chunkSize} calls, never per call. Free chunks form a
 * lock-free stack, last in first out, so a thread gets back the chunk freed most recently, whose
 * memory is still in cache, where a first-in-first-out pool cycles through every chunk ever
 * allocated, cold ones included (see docs/performance.md). The stack links chunks by
 * index and its head carries a version, so it allocates nothing per operation and cannot suffer
 * ABA when a chunk is popped and pushed again between a reader's look and its CAS.
 */
final class ChunkPool {

    private static final int EMPTY = -1;

    private final int chunkSize;
    private final int maxChunks;
    /** Whether each chunk keeps its calls' span contexts ({@link Chunk}). */
    private final boolean withSpans;
    private final AtomicInteger allocated = new AtomicInteger();
    /** Every chunk ever allocated, by {@link Chunk#id}. */
    private final Chunk[] chunks;
    /** Version in the high 32 bits, index of the top free chunk (or {@link #EMPTY}) in the low 32. */
    private final AtomicLong head = new AtomicLong(pack(0, EMPTY));

    /** A pool holding at most {@code capacity} calls, and their span contexts if {@code withSpans}. */
    ChunkPool(int capacity, boolean withSpans) {
        this.withSpans = withSpans;
        // 256 calls a chunk (6 KiB): fewer pool operations and cache lines handed between cores
        // than smaller ones, more threads served than larger ones (performance.md, the figures behind the code's choices). Each recording thread holds one chunk, so keep at least 256 chunks: smaller chunks when
        // the capacity is small.
        this.chunkSize = Math.max(1, Math.min(256, capacity / 256));
        this.maxChunks = capacity / chunkSize;
        this.chunks = new Chunk[maxChunks];
    }

    int maxChunks() {
        return maxChunks;
    }

    int chunkSize() {
        return chunkSize;
    }

    /** The exact number of calls the pool can hold. */
    int capacity() {
        return chunkSize * maxChunks;
    }

    /** A free chunk, or {@code null} if all chunks are in use. Any thread. */
    Chunk acquire() {
        Chunk chunk = pop();
        if (chunk != null) {
            return chunk;
        }
        for (int n = allocated.get(); n < maxChunks; n = allocated.get()) {
            if (allocated.compareAndSet(n, n + 1)) {
                chunk = new Chunk(chunkSize, n, withSpans);
                chunks[n] = chunk; // published to other threads by the CAS in push()
                return chunk;
            }
        }
        return pop(); // one may have been released meanwhile
    }

    /** Gives back a chunk whose calls are all written, emptied by {@link Chunk#reset()}. Any thread. */
    void release(Chunk chunk) {
        long current;
        do {
            current = head.get();
            chunk.nextFree = index(current);
        } while (!head.compareAndSet(current, pack(version(current) + 1, chunk.id)));
    }

    private Chunk pop() {
        while (true) {
            long current = head.get();
            int top = index(current);
            if (top == EMPTY) {
                return null;
            }
            Chunk chunk = chunks[top];
            // If another thread popped this chunk meanwhile, nextFree may be stale: the version
            // in head has changed too, and the CAS fails.
            if (head.compareAndSet(current, pack(version(current) + 1, chunk.nextFree))) {
                return chunk;
            }
        }
    }

    private static long pack(int version, int index) {
        return ((long) version << 32) | (index & 0xFFFF_FFFFL);
    }

    private static int version(long packed) {
        return (int) (packed >>> 32);
    }

    private static int index(long packed) {
        return (int) packed;
    }
}
