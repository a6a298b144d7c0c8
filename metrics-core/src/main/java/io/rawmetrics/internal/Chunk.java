package io.rawmetrics.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed block of recorded calls, written by one thread and read by the writer thread.
 *
 * <p>Slot {@code i} holds the call site and the error class (or {@code null}) in
 * {@code refs[2i]}, {@code refs[2i+1]}, and the start and end {@code System.nanoTime()} in
 * {@code times[2i]}, {@code times[2i+1]}: 24 bytes a call with compressed references. A site slot
 * left {@code null} means "the same site as the slot before" (see {@link ThreadBuffer}).
 *
 * <p>Publication: the producer fills slot {@code i}, then stores {@code size = i + 1} with release
 * semantics; the consumer reads {@code size} with acquire semantics and may then read every slot
 * below it. {@link #next} is linked by the producer when this chunk is full.
 */
final class Chunk {

    private static final VarHandle SIZE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(Chunk.class, "size", int.class);
            NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int capacity;
    /** Index in the pool; -1 for a thread buffer's empty starting chunk. */
    final int id;
    final Object[] refs;
    final long[] times;
    /** Pool only: the index of the next free chunk below this one. */
    int nextFree;

    @SuppressWarnings("unused") // accessed through SIZE
    private int size;
    @SuppressWarnings("unused") // accessed through NEXT
    private Chunk next;

    /** Consumer side only: slots below this index have been encoded. */
    int consumed;

    Chunk(int capacity, int id) {
        this.capacity = capacity;
        this.id = id;
        this.refs = new Object[2 * capacity];
        this.times = new long[2 * capacity];
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
        SIZE.setRelease(this, 0);
        NEXT.setRelease(this, null);
        consumed = 0;
    }
}
