package io.rawmetrics.internal;

/**
 * The entry point of a timed call, called by the woven advice after the method returned or threw.
 *
 * <p>The whole per-call path is here and in {@link ThreadBuffer#append}: read the clock, find this
 * thread's buffer, store the call (two times, and the site when it changes). A failure of the
 * library itself is caught and reported by {@link Lifecycle}, so it can never reach the timed
 * method's caller.
 */
public final class Recorder {

    private Recorder() {
    }

    /** The timed method returned normally. */
    public static void returned(Object site, long startNanos) {
        long endNanos = System.nanoTime();
        try {
            Lifecycle.recorder().record(site, startNanos, endNanos, null);
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /** The timed method threw {@code error}, which the caller rethrows unchanged. */
    public static void threw(Object site, long startNanos, Throwable error) {
        long endNanos = System.nanoTime();
        try {
            Lifecycle.recorder().record(site, startNanos, endNanos, error.getClass());
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }
}
