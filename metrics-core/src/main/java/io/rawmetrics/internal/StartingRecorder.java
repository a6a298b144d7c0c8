package io.rawmetrics.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
 * here and ends after the hand-over is ended by the new recorder, which counts it as a request,
 * as it does any call it did not see start.
 */
final class StartingRecorder implements CallRecorder {

    /**
     * Calls kept at most; later ones are dropped, counted and reported with the recorder's losses.
     * Ten times the default {@code rawmetrics.buffer-capacity}, which is not known yet: a program
     * that makes its 90,000 calls while the recorder starts must lose none of them. The lists grow
     * as calls come (33 MB at the most), and are dropped once handed over.
     */
    static final int CAPACITY = 1 << 20;

    private final ThreadLocal<ThreadCalls> local = ThreadLocal.withInitial(this::register);
    private final ConcurrentLinkedQueue<ThreadCalls> threads = new ConcurrentLinkedQueue<>();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch handedOver = new CountDownLatch(1);
    /** Where calls go once the recorder runs: calls that found this recorder before the switch still end. */
    private volatile CallRecorder target;

    @Override
    public Object entered() {
        local.get().depth++;
        return null;
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        ThreadCalls calls = local.get();
        calls.depth = Math.max(0, calls.depth - 1);
        add(calls, site, startNanos, endNanos, errorClass, calls.depth == 0);
    }

    @Override
    public boolean leftPending() {
        ThreadCalls calls = local.get();
        calls.depth = Math.max(0, calls.depth - 1);
        return calls.depth == 0;
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request) {
        add(local.get(), site, startNanos, endNanos, errorClass, request);
    }

    /**
     * Keeps a call while there is no {@link #target}. Read under the thread's lock: a thread that
     * finds none registered its list before the hand-over set one, so the hand-over, which goes
     * through the lists after setting it, finds this call.
     */
    private void add(ThreadCalls calls, Object site, long startNanos, long endNanos, Object error, boolean request) {
        synchronized (calls) {
            if (target == null) {
                if (kept.incrementAndGet() <= CAPACITY) {
                    calls.add(site, startNanos, endNanos, error, request);
                } else {
                    dropped.incrementAndGet();
                }
                return;
            }
        }
        target.recordLater(site, startNanos, endNanos, error, request);
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
    long handOver(CallRecorder recorder) {
        target = recorder; // first: see add
        for (ThreadCalls calls : threads) {
            synchronized (calls) {
                calls.replayTo(recorder);
            }
        }
        threads.clear();
        handedOver.countDown();
        return dropped.get();
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

    /** Waits until {@link #handOver} has run, at most {@code seconds}. */
    void awaitHandOver(long seconds) {
        try {
            handedOver.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One thread's calls, in the order they ended; guarded by itself. */
    private static final class ThreadCalls {
        /** The owner's timed calls under way; the owner's only. */
        int depth;
        private Object[] sites = new Object[16];
        private Object[] errors = new Object[16];
        private long[] times = new long[32];
        private boolean[] requests = new boolean[16];
        private int size;

        void add(Object site, long startNanos, long endNanos, Object error, boolean request) {
            if (size == sites.length) {
                int grown = size * 4;
                sites = Arrays.copyOf(sites, grown);
                errors = Arrays.copyOf(errors, grown);
                times = Arrays.copyOf(times, 2 * grown);
                requests = Arrays.copyOf(requests, grown);
            }
            sites[size] = site;
            errors[size] = error;
            times[2 * size] = startNanos;
            times[2 * size + 1] = endNanos;
            requests[size] = request;
            size++;
        }

        /** Once: the lists are dropped after. */
        void replayTo(CallRecorder recorder) {
            for (int i = 0; i < size; i++) {
                recorder.recordLater(sites[i], times[2 * i], times[2 * i + 1], errors[i], requests[i]);
            }
            sites = null;
            errors = null;
            times = null;
            requests = null;
            size = 0;
        }
    }
}
