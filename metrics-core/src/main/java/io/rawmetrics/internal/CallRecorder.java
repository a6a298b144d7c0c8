package io.rawmetrics.internal;

/** Receives finished calls on the caller's thread. Implementations must never block or throw. */
public interface CallRecorder {

    /** Records nothing: the recorder when {@code rawmetrics.enabled=false}. */
    CallRecorder DISABLED = (site, startNanos, endNanos, errorClass) -> { };

    /**
     * @param site       identifies the timed function; described once, later, on the writer thread
     * @param startNanos {@code System.nanoTime()} when the call started
     * @param endNanos   {@code System.nanoTime()} when it returned or threw
     * @param errorClass the class of the exception thrown, or {@code null} if it returned
     */
    void record(Object site, long startNanos, long endNanos, Object errorClass);

    /**
     * A timed call starts on this thread. Only the aggregated mode needs to know (to tell requests,
     * the outermost calls, from the calls they make): it returns the thread's state, which the
     * woven code hands back when the call ends ({@link CallEntry#returned(Object, long, Object)}),
     * so that a call looks its thread up once, not twice. Other recorders return {@code null}.
     */
    default Object entered() {
        return null;
    }

    /**
     * A call entered on this thread returned something whose work goes on (a CompletionStage, a
     * {@code Deferred}): it ends later, on whichever thread, with {@link #recordLater}.
     *
     * @return whether the call was the outermost timed call on this thread: a request
     */
    default boolean leftPending() {
        return false;
    }

    /**
     * The span context of the OpenTelemetry span current on this thread, if this recorder keeps
     * trace ids and the span is sampled, else {@code null}: what a call that ends later takes with
     * it, from where it started, to {@link #recordLater}.
     */
    default Object currentSpan() {
        return null;
    }

    /**
     * A call that {@link #leftPending} ended; {@code request} is what that returned, {@code span}
     * what {@link #currentSpan()} said where the call started.
     */
    default void recordLater(Object site, long startNanos, long endNanos, Object errorClass, boolean request, Object span) {
        record(site, startNanos, endNanos, errorClass);
    }
}
