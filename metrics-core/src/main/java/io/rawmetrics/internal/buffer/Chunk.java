package io.rawmetrics.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed block of recorded calls, written by one thread and read by the writer thread.
 *
 * <p>Slot {@code i} holds the call site and the error class (or {@code null}) in
 * {@code refs[2i]}, {@code refs[2i+1]}, and the start and end {@code System.nanoTime()} in
 * {@code times[2i]}, {@code times[2i+1]}: 24 bytes a call with compressed references. A site slot
 * left {@code null} means "the same site as the slot before" (see {@link ThreadBuffer}). When the
 * recorder keeps trace ids, {@code spans[i]} holds the span context the call ran in, or
 * {@code null} (4 bytes more a call); else {@code spans} is {@code null}. What a span context is, the buffers need not
 * know: {@link io.rawmetrics.internal.trace.Spans} reads it.
 *
 * <p>Publication: the producer fills slot {@code i}, then stores {@code size = i + 1} with release
 * semantics; the consumer reads {@code size} with acquire semantics and may then read every slot
 * below it. {@code next} is linked by the producer when this chunk is full.
 *
 * <p>The fields sit between 64-byte pads: {@code size} is stored on every call, and must not share
 * a cache line with an object another core writes (see {@link ThreadBuffer}'s layout note).
 */
public final class Chunk extends ChunkFields {

    private static final VarHandle SIZE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(ChunkFields.class, "size", int.class);
            NEXT = lookup.findVarHandle(ChunkFields.class, "next", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    int d0;
    long d1, d2, d3, d4, d5, d6, d7, d8;

    Chunk(int capacity, int id, boolean withSpans) {
        super(capacity, id, withSpans);
    }

    /** Producer: slots below {@code newSize} are filled. */
    void publish(int newSize) {
        SIZE.setRelease(this, newSize);
    }

    /** Consumer: how many slots may be read. */
    int published() {
        return (int) SIZE.getAcquire(this);
    }

    void linkNext(Chunk chunk) {
        NEXT.setRelease(this, chunk);
    }

    Chunk next() {
        return (Chunk) NEXT.getAcquire(this);
    }

    /** Makes a fully consumed chunk ready for reuse; the references are cleared so sites and classes can be unloaded. */
    void reset() {
        java.util.Arrays.fill(refs, null);
        if (holdsSpans) {
            java.util.Arrays.fill(spans, null);
            holdsSpans = false;
        }
        SIZE.setRelease(this, 0);
        NEXT.setRelease(this, null);
    }
}

/** 64 bytes (and the 4-byte hole after the object header) before a chunk's fields. */
abstract class ChunkPad {
    int p0;
    long p1, p2, p3, p4, p5, p6, p7, p8;
}

/** A chunk's state; {@link Chunk} adds the padding after it. */
abstract class ChunkFields extends ChunkPad {
    final int capacity;
    /** Index in the pool; -1 for a thread buffer's empty starting chunk. */
    final int id;
    final Object[] refs;
    final long[] times;
    /** Each call's span context, or {@code null}; the array itself is {@code null} when trace ids are off. */
    final Object[] spans;
    /**
     * Whether a slot of {@link #spans} was filled: set by the producer before it publishes that
     * slot, cleared by {@link Chunk#reset}. A chunk of calls made outside any span is then read,
     * and emptied, as if trace ids were off.
     */
    boolean holdsSpans;
    /** Pool only: the index of the next free chunk below this one. */
    int nextFree;
    int size; // accessed through Chunk.SIZE
    Chunk next; // accessed through Chunk.NEXT

    ChunkFields(int capacity, int id, boolean withSpans) {
        this.capacity = capacity;
        this.id = id;
        this.refs = new Object[2 * capacity];
        this.times = new long[2 * capacity];
        this.spans = withSpans ? new Object[capacity] : null;
    }
}
