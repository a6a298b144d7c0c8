package io.rawmetrics.internal;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The recorder while the first timed call's recorder is being started, on a thread of its own
 * ({@link Lifecycle}): reading the configuration and starting the writer take 50-100 ms on a cold
 * JVM, which must not be added to the application's first requests. Calls made meanwhile wait
 * here, and are handed to the recorder once it runs, each with its own times: none is lost, and
 * none waits for anything but a lock held for a few stores.
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
     * that makes its 90,000 calls while the recorder starts (50-100 ms) must lose none of them. The
     * arrays grow as calls come (33 MB at the most), and are dropped once handed over.
     */
    static final int CAPACITY = 1 << 20;

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final CountDownLatch handedOver = new CountDownLatch(1);

    // Guarded by this.
    private Object[] sites = new Object[256];
    private Object[] errors = new Object[256];
    private long[] times = new long[512];
    private boolean[] requests = new boolean[256];
    private int size;
    private long dropped;
    /** Where calls go once the recorder runs: calls that found this recorder before the switch still end. */
    private CallRecorder target;

    @Override
    public Object entered() {
        depth.get()[0]++;
        return null;
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        add(site, startNanos, endNanos, errorClass, leave());
    }

    @Override
    public boolean leftPending() {
        return leave();
    }

    @Override
    public void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request) {
        add(site, startNanos, endNanos, errorClass, request);
    }

    private boolean leave() {
        int[] d = depth.get();
        d[0] = Math.max(0, d[0] - 1);
        return d[0] == 0;
    }

    private synchronized void add(Object site, long startNanos, long endNanos, Object error, boolean request) {
        if (target != null) {
            target.recordLater(site, startNanos, endNanos, error, request);
            return;
        }
        if (size == CAPACITY) {
            dropped++;
            return;
        }
        if (size == sites.length) {
            int grown = Math.min(CAPACITY, size * 4);
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

    /**
     * The recorder runs (or recording is disabled): hands it every call kept so far, oldest first,
     * and every call that still ends here from now on.
     *
     * @return the calls dropped because more than {@value #CAPACITY} were waiting
     */
    synchronized long handOver(CallRecorder recorder) {
        for (int i = 0; i < size; i++) {
            recorder.recordLater(sites[i], times[2 * i], times[2 * i + 1], errors[i], requests[i]);
        }
        sites = null;
        errors = null;
        times = null;
        requests = null;
        size = 0;
        target = recorder;
        handedOver.countDown();
        return dropped;
    }

    /** Calls kept so far, for tests. */
    synchronized int waiting() {
        return size;
    }

    /** Waits until {@link #handOver} has run, at most {@code seconds}. */
    void awaitHandOver(long seconds) {
        try {
            handedOver.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
