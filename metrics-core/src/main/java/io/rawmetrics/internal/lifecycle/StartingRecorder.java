package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.ReleasableThreadLocal;
import io.rawmetrics.internal.trace.Spans;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The recorder while the first timed call's recorder is being started, on a thread of its own
 * ({@link Lifecycle}): reading the configuration and starting the writer take 20-70 ms on a cold
 * JVM, which must not be added to the application's first requests. Calls made meanwhile wait
 * here, each thread's in a list of its own under a lock of its own (never contended but by the
 * hand-over: one lock for all made 200 virtual threads' first calls queue behind each other), and
 * are handed to the recorder once it runs, each with its own times: none is lost.
 *
 * <p>In the aggregated mode a call's recorder needs to know whether it was a request (the
 * outermost timed call on its thread): each thread's depth is kept here too. A call that starts
 * here and ends after the hand-over ends in the new recorder, which counts it in its own depth of
 * that thread ({@link #bequeath}), so that the calls it makes there are nested ones.
 */
public final class StartingRecorder implements CallRecorder {

    /**
     * Calls kept at most; later ones are dropped, counted and reported with the recorder's losses.
     * Ten times the default {@code rawmetrics.buffer-capacity}, which is not known yet: a program
     * that makes its 90,000 calls while the recorder starts must lose none of them. The lists grow
     * as calls come (33 MB at the most), and are dropped once handed over.
     */
    static final int CAPACITY = 1 << 20;
    /**
     * How long the start waits for the application's first calls to pass before it begins: starting
     * costs a cold JVM 20 to 40 ms of CPU (classes to load, the writer's threads), which, begun at the
     * first call, competed with the first calls themselves (docs/performance.md, "A program's exit, and its first calls").
     */
    static final long FIRST_BURST_NANOS = 250_000_000L;
    /** Calls waiting at which the start begins without waiting longer: a busy program must not keep too many here. */
    static final int START_NOW_AT = 1 << 16;

    /**
     * Each thread's calls. Released once handed over (a thread's when its calls under way have
     * ended): the request threads of a servlet container outlive the web application, and must not
     * keep its classes (see {@link ReleasableThreadLocal}).
     */
    private final ReleasableThreadLocal<ThreadCalls> local = new ReleasableThreadLocal<>(this::register);
    private final ConcurrentLinkedQueue<ThreadCalls> threads = new ConcurrentLinkedQueue<>();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch handedOver = new CountDownLatch(1);
    /** Before any call kept here started: each read its start time after entering this recorder. */
    private final long createdNanos = System.nanoTime();
    /** Where calls go once the recorder runs: calls that found this recorder before the switch still end. */
    private volatile CallRecorder target;
    /** The thread that starts the recorder, woken to begin at once ({@link #awaitFirstBurst}). */
    private volatile Thread starter;
    private volatile boolean startNow;

    @Override
    public Object entered() {
        local.get().depth++;
        return null;
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        ThreadCalls calls = local.get();
        boolean outermost = left(calls);
        add(calls, site, startNanos, endNanos, errorClass, outermost, currentSpan());
    }

    @Override
    public boolean leftPending() {
        return left(local.get());
    }

    /** A call of this thread ended: whether it was its outermost. */
    private boolean left(ThreadCalls calls) {
        int depth = Math.max(0, calls.depth - 1);
        calls.depth = depth;
        if (depth == 0 && target != null) {
            local.set(null); // handed over, and nothing of this thread's under way here any more
        }
        return depth == 0;
    }

    /**
     * The recorder taking over asks, at this thread's first call there (the end of a call under way
     * here, at the latest), how many calls the thread still has under way here: they count in its
     * depth there until they end there, so that the calls they make there are nested, not requests.
     * This thread then lets go of its calls here: it found the new recorder current, and
     * {@code current} never goes back, so it comes here no more; and the ends of its calls under
     * way, which go there, would never bring its depth here back to 0 (a servlet container's request
     * thread would keep this class's loader, the application's, after an undeploy).
     *
     * @return the calls this thread has under way here
     */
    public int bequeath() {
        ThreadCalls calls = local.peek();
        if (calls == null) {
            return 0;
        }
        local.set(null);
        return calls.depth;
    }

    /**
     * Whether the recorder will keep trace ids is not known yet: a call takes its span, if the API
     * is there, and the recorder it is handed to drops it if it keeps none.
     */
    @Override
    public Object currentSpan() {
        return Spans.AVAILABLE ? Spans.current() : null;
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request, Object span) {
        add(local.get(), site, startNanos, endNanos, errorClass, request, span);
    }

    /**
     * Keeps a call while there is no {@link #target}. Read under the thread's lock: a thread that
     * finds none registered its list before the hand-over set one, so the hand-over, which goes
     * through the lists after setting it, finds this call.
     */
    private void add(ThreadCalls calls, Object site, long startNanos, long endNanos, Object error, boolean request,
            Object span) {
        synchronized (calls) {
            if (target == null) {
                long waiting = kept.incrementAndGet();
                if (waiting <= CAPACITY) {
                    calls.add(site, startNanos, endNanos, error, request, span);
                    if (waiting == START_NOW_AT) {
                        hurry();
                    }
                } else {
                    dropped.incrementAndGet();
                }
                return;
            }
        }
        target.recordLater(site, startNanos, endNanos, error, request, span);
    }

    private ThreadCalls register() {
        ThreadCalls calls = new ThreadCalls();
        threads.add(calls);
        return calls;
    }

    /**
     * The recorder runs (or recording is disabled): hands it every call kept so far, and every call
     * that still ends here from now on.
     *
     * @return the calls dropped because more than {@value #CAPACITY} were waiting
     */
    public long handOver(CallRecorder recorder) {
        target = recorder; // first: see add
        PriorityQueue<ThreadCalls> byNextEnd = new PriorityQueue<>(Comparator.comparingLong(ThreadCalls::nextEnd));
        for (ThreadCalls calls : threads) {
            synchronized (calls) { // once taken, no call is added to it: add finds the target
                if (calls.size > 0) {
                    byNextEnd.add(calls);
                }
            }
        }
        // In the order the calls ended, all threads' together: they go to the buffer of the thread
        // that hands them over, in which the writer expects calls in the order they ended.
        while (!byNextEnd.isEmpty()) {
            ThreadCalls calls = byNextEnd.poll();
            calls.replayNextTo(recorder);
            if (calls.hasNext()) {
                byNextEnd.add(calls);
            }
        }
        threads.clear();
        // The others as their calls end (see left and bequeath), or at the application's end at the
        // latest: a call under way may end in a recorder that never tells (disabled, stopped).
        local.releaseIf(calls -> calls.depth == 0);
        handedOver.countDown();
        return dropped.get();
    }

    /** When this recorder was made: no call it keeps started earlier. */
    public long createdNanos() {
        return createdNanos;
    }

    /** Threads whose calls this recorder still holds on to, for tests. */
    int threadsHeld() {
        return local.filled();
    }

    /** Calls kept and not handed over yet, for tests. */
    int waiting() {
        int waiting = 0;
        for (ThreadCalls calls : threads) {
            synchronized (calls) {
                waiting += calls.size;
            }
        }
        return waiting;
    }

    /**
     * The start thread, before it starts the recorder: waits until the application's first calls
     * have passed ({@value #FIRST_BURST_NANOS} ns), unless {@value #START_NOW_AT} calls are waiting,
     * someone waits for the start ({@link #awaitHandOver}: a flush, a stop, the exit) or the thread
     * is interrupted (the interrupt is kept, for the caller to see).
     */
    void awaitFirstBurst() {
        awaitFirstBurst(FIRST_BURST_NANOS);
    }

    /** {@link #awaitFirstBurst()}, waiting at most {@code nanos}. */
    void awaitFirstBurst(long nanos) {
        starter = Thread.currentThread();
        long deadline = System.nanoTime() + nanos;
        while (!startNow && !Thread.currentThread().isInterrupted()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** The start begins now, if it is waiting. */
    private void hurry() {
        startNow = true;
        Thread waiting = starter;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /** Waits until {@link #handOver} has run, at most {@code seconds}; the start begins at once if it waits still. */
    void awaitHandOver(long seconds) {
        hurry();
        try {
            handedOver.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One thread's calls, in the order they ended; guarded by itself. */
    private static final class ThreadCalls {
        /** The owner's timed calls under way; written by the owner only, read by the hand-over too. */
        volatile int depth;
        private Object[] sites = new Object[16];
        private Object[] errors = new Object[16];
        /** Each call's span context, or null; made at the first call that has one. */
        private Object[] spans;
        private long[] times = new long[32];
        private boolean[] requests = new boolean[16];
        private int size;

        void add(Object site, long startNanos, long endNanos, Object error, boolean request, Object span) {
            if (size == sites.length) {
                int grown = size * 4;
                sites = Arrays.copyOf(sites, grown);
                errors = Arrays.copyOf(errors, grown);
                spans = spans == null ? null : Arrays.copyOf(spans, grown);
                times = Arrays.copyOf(times, 2 * grown);
                requests = Arrays.copyOf(requests, grown);
            }
            sites[size] = site;
            errors[size] = error;
            times[2 * size] = startNanos;
            times[2 * size + 1] = endNanos;
            requests[size] = request;
            if (span != null) {
                if (spans == null) {
                    spans = new Object[sites.length];
                }
                spans[size] = span;
            }
            size++;
        }

        /** Calls handed over so far: the hand-over's only. */
        private int replayed;

        long nextEnd() {
            return times[2 * replayed + 1];
        }

        boolean hasNext() {
            return replayed < size;
        }

        /** Hands the next call over; the lists are dropped after the last. */
        void replayNextTo(CallRecorder recorder) {
            int i = replayed++;
            recorder.recordLater(sites[i], times[2 * i], times[2 * i + 1], errors[i], requests[i],
                    spans == null ? null : spans[i]);
            if (replayed == size) {
                sites = null;
                errors = null;
                spans = null;
                times = null;
                requests = null;
                size = 0;
                replayed = 0;
            }
        }
    }
}
