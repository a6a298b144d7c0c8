package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.internal.LibraryThreads;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JVM shutdown hook that stops recording at exit: installed once, and removed when the
 * application ends before the JVM (a web application undeployed), since a hook whose task is the
 * library's would keep the application's classes for as long as the JVM runs.
 *
 * <p>The hook's thread is in the library's own group, not the caller's: {@code mvn exec:java}
 * destroys the program's group when main has returned (Java 17 to 18), and a hook in a destroyed
 * group cannot start. The JVM then stops starting hooks at all, the application's among them.
 */
final class ShutdownHook {

    private final Runnable atExit;
    private final AtomicBoolean installed = new AtomicBoolean();
    private volatile Thread hook;

    ShutdownHook(Runnable atExit) {
        this.atExit = atExit;
    }

    void install() {
        if (installed.compareAndSet(false, true)) {
            Thread thread = LibraryThreads.newThread(atExit, "rawmetrics-shutdown");
            hook = thread;
            Runtime.getRuntime().addShutdownHook(thread);
        }
    }

    boolean installed() {
        return installed.get();
    }

    void remove() {
        Thread thread = hook;
        if (thread != null && installed.compareAndSet(true, false)) {
            hook = null;
            try {
                Runtime.getRuntime().removeShutdownHook(thread);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting already: the hook runs, and finds nothing left to do.
            }
        }
    }
}
