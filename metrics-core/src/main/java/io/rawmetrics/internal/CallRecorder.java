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
}
