package io.rawmetrics.internal;

/**
 * A thread's first calls: stored in a buffer shared by several threads, under that buffer's lock,
 * until the thread has made {@link #CALLS_BEFORE_OWN_BUFFER} of them and gets a buffer of its own.
 *
 * <p>Why not a buffer of its own from the first call: a {@link ThreadBuffer} holds a chunk of the
 * pool (256 calls) until its thread has ended and the writer has retired it. A thread that makes
 * one timed call and ends (a virtual thread per request, a platform thread per connection) would
 * hold a whole chunk for that one call, every new thread would add a buffer for the writer to scan,
 * and a few hundred such threads a second would exhaust the pool: measured before this class, 10,000
 * virtual threads making one call each had 9,220 of their calls dropped. A shared buffer costs an
 * uncontended lock per call; a thread that keeps calling soon leaves it for the lock-free path.
 */
final class FirstCalls extends CallBuffer {

    /** A chunk's worth: by then the thread has shown it will fill a buffer of its own. */
    static final int CALLS_BEFORE_OWN_BUFFER = 256;

    private final ThreadBuffer shared;
    private final Runnable giveOwnBuffer;
    private int calls;

    /**
     * @param shared        the buffer this thread shares; its producer side is used under its lock
     * @param giveOwnBuffer run on this thread after its last call here, to make a buffer of its own its {@link CallBuffer}
     */
    FirstCalls(ThreadBuffer shared, Runnable giveOwnBuffer) {
        this.shared = shared;
        this.giveOwnBuffer = giveOwnBuffer;
    }

    @Override
    void append(Object site, long startNanos, long endNanos, Object error) {
        synchronized (shared) { // held for a few stores: nothing in it blocks
            shared.append(site, startNanos, endNanos, error);
        }
        if (++calls == CALLS_BEFORE_OWN_BUFFER) {
            giveOwnBuffer.run();
        }
    }
}
