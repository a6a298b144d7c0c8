package io.rawmetrics.internal.buffer;

import java.util.function.Supplier;

/**
 * A thread's first calls: stored in a buffer shared by several threads, under that buffer's lock,
 * until the thread has made {@link #CALLS_BEFORE_OWN_BUFFER} of them and gets a buffer of its own.
 *
 * <p>Why not a buffer of its own from the first call: a {@link ThreadBuffer} holds a chunk of the
 * pool (256 calls) until its thread has ended and the writer has retired it. A thread that makes
 * one timed call and ends (a virtual thread per request, a platform thread per connection) would
 * hold a whole chunk for that one call, every new thread would add a buffer for the writer to scan,
 * and a few hundred such threads a second would exhaust the pool (docs/performance.md, the
 * figures behind the code's choices). A shared buffer costs an
 * uncontended lock per call; a thread that keeps calling soon leaves it for the lock-free path.
 */
public final class FirstCalls extends CallBuffer {

    /** A chunk's worth: by then the thread has shown it will fill a buffer of its own. */
    public static final int CALLS_BEFORE_OWN_BUFFER = 256;

    /** The thread whose calls these are. */
    public final Thread owner;
    private final ThreadBuffer shared;
    private final Supplier<CallBuffer> giveOwnBuffer;
    /**
     * Whether each run of this thread's calls in the shared buffer starts with a mark naming it:
     * the aggregated mode counts requests per thread.
     */
    private final boolean markOwner;
    private int calls;
    /** The owner's own buffer, once it has one; calls that started here end there. */
    private CallBuffer successor;

    /**
     * @param shared        the buffer this thread shares; its producer side is used under its lock
     * @param giveOwnBuffer run on this thread after its last call here: makes a buffer of its own
     *                      its {@link CallBuffer}, and returns it
     * @param markOwner     whether to mark where this thread's calls start in the shared buffer
     */
    FirstCalls(ThreadBuffer shared, Supplier<CallBuffer> giveOwnBuffer, boolean markOwner) {
        this.owner = Thread.currentThread();
        this.shared = shared;
        this.giveOwnBuffer = giveOwnBuffer;
        this.markOwner = markOwner;
    }

    @Override
    public boolean append(Object site, long startNanos, long endNanos, Object error) {
        return appendInSpan(site, startNanos, endNanos, error, null);
    }

    @Override
    public boolean appendInSpan(Object site, long startNanos, long endNanos, Object error, Object span) {
        boolean stored;
        synchronized (shared) { // held for a few stores: nothing in it blocks
            markOwnerLocked(endNanos);
            stored = shared.store(site, startNanos, endNanos, error, span);
        }
        if (++calls == CALLS_BEFORE_OWN_BUFFER) {
            successor = giveOwnBuffer.get();
        }
        return stored;
    }

    @Override
    public void uncountDrop() {
        synchronized (shared) {
            shared.uncountDrop();
        }
    }

    @Override
    public void appendMark(Object mark, long startNanos, long endNanos) {
        synchronized (shared) {
            markOwnerLocked(endNanos);
            shared.appendMark(mark, startNanos, endNanos);
        }
    }

    /** Marks, at the time of the call that follows, that the shared buffer's next calls are this thread's. */
    private void markOwnerLocked(long endNanos) {
        if (markOwner && shared.lastMarked != this) {
            shared.appendMark(this, endNanos, endNanos);
            shared.lastMarked = this;
        }
    }

    @Override
    public CallBuffer current() {
        CallBuffer next = successor;
        return next != null ? next : this;
    }
}
