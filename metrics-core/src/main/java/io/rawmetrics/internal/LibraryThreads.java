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

    private static ThreadGroup create() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return new ThreadGroup(root, "rawmetrics");
    }
}
