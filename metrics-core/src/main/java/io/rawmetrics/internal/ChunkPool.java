package io.rawmetrics.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory bound of the recorder: at most {@code maxChunks} chunks exist, allocated lazily and
 * recycled by the writer thread once encoded. When none is free, a recording thread drops its
 * call (and counts it) instead of waiting: recording never blocks.
 *
 * <p>Producers come here once per {@code chunkSize} calls, so the queue's CAS is not on the
 * per-call path. A {@link ConcurrentLinkedQueue} rather than a Treiber stack of recycled nodes:
 * reusing nodes in a Treiber stack invites ABA.
 */
final class ChunkPool {

    private final int chunkSize;
    private final int maxChunks;
    private final AtomicInteger allocated = new AtomicInteger();
    private final ConcurrentLinkedQueue<Chunk> free = new ConcurrentLinkedQueue<>();

    /** A pool holding at most {@code capacity} calls. */
    ChunkPool(int capacity) {
        // Small chunks when the capacity is small, so that many threads can each hold one;
        // 64 slots (1.5 KiB) otherwise, which makes the rare path 1/64 of calls.
        this.chunkSize = Math.max(1, Math.min(64, capacity / 32));
        this.maxChunks = capacity / chunkSize;
    }

    int chunkSize() {
        return chunkSize;
    }

    /** The exact number of calls the pool can hold. */
    int capacity() {
        return chunkSize * maxChunks;
    }

    /** A free chunk, or {@code null} if all chunks are in use. */
    Chunk acquire() {
        Chunk chunk = free.poll();
        if (chunk != null) {
            return chunk;
        }
        for (int n = allocated.get(); n < maxChunks; n = allocated.get()) {
            if (allocated.compareAndSet(n, n + 1)) {
                return new Chunk(chunkSize);
            }
        }
        return free.poll(); // one may have been released meanwhile
    }

    void release(Chunk chunk) {
        chunk.reset();
        free.offer(chunk);
    }
}
