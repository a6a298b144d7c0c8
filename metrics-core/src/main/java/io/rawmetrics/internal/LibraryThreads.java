package io.rawmetrics.internal;

/**
 * The thread group of the library's long-lived threads: a child of the JVM's root group, so that
 * they, and the threads they start (an HTTP client's), belong to no application's group.
 * {@code mvn exec:java} interrupts and waits for every thread of the program's group when
 * {@code main} returns (see {@link io.rawmetrics.internal.writer.Pipeline}); a servlet container may do the same at undeploy.
 */
public final class LibraryThreads {

    private static final ThreadGroup GROUP = create();

    private LibraryThreads() {
    }

    public static ThreadGroup group() {
        return GROUP;
    }

    /**
     * A daemon thread in the library's group, with no context class loader: the threads it starts
     * (OkHttp's task runner, Okio's timeout watchdog, which end on their own a minute after their
     * last use) inherit that, and a servlet container does not take them for threads the web
     * application failed to stop.
     */
    public static Thread newThread(Runnable task, String name) {
        Thread thread = new Thread(GROUP, task, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }

    private static ThreadGroup create() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return new ThreadGroup(root, "rawmetrics");
    }
}
