package io.rawmetrics.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The memory bound of the recorder: at most {@code maxChunks} chunks exist, allocated lazily and
 * recycled by the writer thread once their calls are written. When none is free, a recording
 * thread drops its call (and counts it) instead of waiting: recording never blocks.
 *
 * <p>Producers come here once per {@code chunkSize} calls, never per call. Free chunks wait in a
 * bounded lock-free array queue (Vyukov's MPMC design: a sequence number per slot): it allocates
 * nothing per operation, unlike a {@code ConcurrentLinkedQueue}, and unlike a Treiber stack of
 * recycled nodes it cannot suffer ABA.
 */
final class ChunkPool {

    private final int chunkSize;
    private final int maxChunks;
    private final AtomicInteger allocated = new AtomicInteger();

    private final int mask;
    private final AtomicReferenceArray<Chunk> slots;
    private final AtomicLongArray sequences;
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong dequeued = new AtomicLong();

    /** A pool holding at most {@code capacity} calls. */
    ChunkPool(int capacity) {
        // Small chunks when the capacity is small, so that many threads can each hold one;
        // 64 slots (1.5 KiB) otherwise, which makes the rare path 1/64 of calls.
        this.chunkSize = Math.max(1, Math.min(64, capacity / 32));
        this.maxChunks = capacity / chunkSize;
        // Twice as many slots as chunks: a release can then never lap a slot whose poll is still
        // in progress, which would make the queue look full while it is not.
        int slotCount = Integer.highestOneBit(Math.max(1, maxChunks)) << 2;
        this.mask = slotCount - 1;
        this.slots = new AtomicReferenceArray<>(slotCount);
        this.sequences = new AtomicLongArray(slotCount);
        for (int i = 0; i < slotCount; i++) {
            sequences.set(i, i);
        }
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
        Chunk chunk = poll();
        if (chunk != null) {
            return chunk;
        }
        for (int n = allocated.get(); n < maxChunks; n = allocated.get()) {
            if (allocated.compareAndSet(n, n + 1)) {
                return new Chunk(chunkSize);
            }
        }
        return poll(); // one may have been released meanwhile
    }

    /** Gives back a chunk whose calls are all written. Any thread. */
    void release(Chunk chunk) {
        chunk.reset();
        long position = enqueued.get();
        while (true) {
            int slot = (int) (position & mask);
            long difference = sequences.get(slot) - position;
            if (difference == 0) {
                if (enqueued.compareAndSet(position, position + 1)) {
                    slots.set(slot, chunk);
                    sequences.set(slot, position + 1);
                    return;
                }
                position = enqueued.get();
            } else if (difference < 0) {
                // Looks full, which the slot count rules out: a poll of this slot is finishing.
                Thread.onSpinWait();
                position = enqueued.get();
            } else {
                position = enqueued.get();
            }
        }
    }

    private Chunk poll() {
        long position = dequeued.get();
        while (true) {
            int slot = (int) (position & mask);
            long difference = sequences.get(slot) - (position + 1);
            if (difference == 0) {
                if (dequeued.compareAndSet(position, position + 1)) {
                    Chunk chunk = slots.get(slot);
                    slots.set(slot, null);
                    sequences.set(slot, position + mask + 1);
                    return chunk;
                }
                position = dequeued.get();
            } else if (difference < 0) {
                return null; // empty
            } else {
                position = dequeued.get();
            }
        }
    }
}
