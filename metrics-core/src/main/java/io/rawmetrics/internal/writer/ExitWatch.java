package io.rawmetrics.internal.writer;

import io.rawmetrics.internal.delivery.StopSignal;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread {@code rawmetrics-exit-watch}: it stops the recorder when {@code mvn exec:java} ends
 * the program.
 *
 * <p>{@code mvn exec:java} runs {@code main} in Maven's JVM; once it returns, the plugin interrupts every thread of the
 * program's thread group, waits up to 15 s for each to end, then closes the program's class
 * loader, long before the JVM's shutdown hooks run. Two threads meet that:
 * <ul>
 *   <li>{@code rawmetrics-writer} lives in a thread group of the library's own, outside the
 *       program's, and so do the threads the HTTP client starts from it (OkHttp's task runner
 *       and timeout watchdog ignore interrupts, and would hold the plugin for its 15 s);</li>
 *   <li>{@code rawmetrics-exit-watch}, in the thread group of the code that started recording,
 *       does nothing but wait to be interrupted. Nobody interrupts a library's thread but code
 *       that is ending the application, so then it has the writer do what {@link Pipeline#shutdown} does
 *       (write everything, within {@code shutdownTimeout}) and ends once the writer has: the
 *       plugin's wait for it is the time the last writes need, and the class loader is closed
 *       only after them.</li>
 * </ul>
 */
final class ExitWatch implements Runnable {

    private final StopSignal stop;
    private final Runnable stopRecorder;

    /** {@code stopRecorder} writes everything and stops; run in the thread group of the code that starts recording. */
    ExitWatch(StopSignal stop, Runnable stopRecorder) {
        this.stop = stop;
        this.stopRecorder = stopRecorder;
    }

    /** Waits for an interrupt, or for the recorder to stop (which unparks this thread). */
    @Override
    public void run() {
        while (!stop.stopping()) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                stopRecorder.run();
                return;
            }
        }
    }
}
