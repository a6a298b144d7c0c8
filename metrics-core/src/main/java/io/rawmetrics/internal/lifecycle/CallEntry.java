package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.Cancelled;
import io.rawmetrics.internal.aggregate.CallsUnderWay;

/**
 * The entry point of a timed call, called by the woven advice after the method returned or threw.
 *
 * <p>The whole per-call path is here and in {@link io.rawmetrics.internal.buffer.ThreadBuffer#append}: read the clock, find this
 * thread's buffer, store the call (two times, and the site when it changes). A failure of the
 * library itself is caught and reported by {@link Lifecycle}, so it can never reach the timed
 * method's caller.
 */
public final class CallEntry {

    private CallEntry() {
    }

    /**
     * A timed method starts (before its start time is read: this is not part of what is timed).
     *
     * @return what the woven code hands back when the call ends: the thread's
     *         {@link CallsUnderWay} in the aggregated mode, else {@code null}
     */
    public static Object entered() {
        try {
            return Lifecycle.recorder().entered();
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
            return null;
        }
    }

    /** The timed method returned normally; {@code entered} is what {@link #entered()} returned. */
    public static void returned(Object site, long startNanos, Object entered) {
        returned(site, startNanos, System.nanoTime(), entered);
    }

    /**
     * The timed method returned normally at {@code endNanos}, read before something that is not
     * part of the call (a result tag's resolver) ran.
     */
    public static void returned(Object site, long startNanos, long endNanos, Object entered) {
        try {
            if (entered instanceof CallsUnderWay calls) {
                calls.exit(site, startNanos, endNanos, null);
            } else {
                Lifecycle.recorder().record(site, startNanos, endNanos, null);
            }
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /** The timed method threw {@code error}, which the caller rethrows unchanged. */
    public static void threw(Object site, long startNanos, Object entered, Throwable error) {
        long endNanos = System.nanoTime();
        try {
            if (entered instanceof CallsUnderWay calls) {
                calls.exit(site, startNanos, endNanos, error.getClass());
            } else {
                Lifecycle.recorder().record(site, startNanos, endNanos, error.getClass());
            }
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /**
     * A timed method returned something that finishes later; see {@link CallRecorder#leftPending}.
     *
     * @return whether the call is a request (the outermost timed call on its thread)
     */
    public static boolean leftPending(Object entered) {
        try {
            return entered instanceof CallsUnderWay calls ? calls.leave() : Lifecycle.recorder().leftPending();
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
            return false;
        }
    }

    /**
     * The span a call that ends later ran in where it started, to be handed back with its end:
     * see {@link CallRecorder#currentSpan()}.
     */
    public static Object currentSpan() {
        try {
            return Lifecycle.recorder().currentSpan();
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
            return null;
        }
    }

    /**
     * What a timed method returned finished, successfully; {@code request} is what {@link #leftPending}
     * said, {@code span} what {@link #currentSpan()} did.
     */
    public static void returnedLater(Object site, long startNanos, boolean request, Object span) {
        long endNanos = System.nanoTime();
        try {
            Lifecycle.recorder().recordLater(site, startNanos, endNanos, null, request, span);
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /** What a timed method returned failed with {@code error}. */
    public static void threwLater(Object site, long startNanos, Throwable error, boolean request, Object span) {
        long endNanos = System.nanoTime();
        try {
            Lifecycle.recorder().recordLater(site, startNanos, endNanos, error.getClass(), request, span);
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /**
     * What a timed method returned was cancelled by its subscriber before it completed or failed:
     * outcome {@code cancelled}.
     */
    public static void cancelledLater(Object site, long startNanos, boolean request, Object span) {
        long endNanos = System.nanoTime();
        try {
            Lifecycle.recorder().recordLater(site, startNanos, endNanos, Cancelled.class, request, span);
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /**
     * A call that ended later, at {@code endNanos} (read by the caller when its result came, not
     * now): with {@code errorClass}, or normally if it is null.
     */
    public static void endedLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request,
            Object span) {
        try {
            Lifecycle.recorder().recordLater(site, startNanos, endNanos, errorClass, request, span);
        } catch (Throwable bug) {
            Lifecycle.recordingFailed(bug);
        }
    }

    /** The timed method returned normally (a call nobody told the recorder had started). */
    public static void returned(Object site, long startNanos) {
        returned(site, startNanos, null);
    }

    /** The timed method threw {@code error} (a call nobody told the recorder had started). */
    public static void threw(Object site, long startNanos, Throwable error) {
        threw(site, startNanos, null, error);
    }
}
