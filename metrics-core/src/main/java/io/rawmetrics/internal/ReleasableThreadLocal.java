package io.rawmetrics.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A thread-local value that its owner can let go of on every thread at once ({@link #release}).
 *
 * <p>Why not a plain {@link ThreadLocal}: a servlet container's request threads outlive the web
 * application that made timed calls on them. Each thread's map holds its values strongly, and a
 * value of one of the library's classes holds that class's loader, so an undeployed application
 * would stay in memory for as long as the pool's threads live, and Tomcat says so at every undeploy.
 * Here a thread's map holds only a one-element {@code Object[]}, a class of the JDK's, which
 * {@link #release} empties: what stays behind in the pool's threads holds nothing of the
 * application. A thread that calls {@link #get} after a release gets a new value each time, which
 * is not kept: the owner is done ({@link #releaseIf} keeps none of that).
 *
 * <p>Costs one array load more than a {@link ThreadLocal} per {@link #get}, and, per thread, a
 * weak reference kept until the thread ends.
 */
public final class ReleasableThreadLocal<T> {

    /** The thread-locals {@link #releaseAtApplicationEnd} releases. */
    private static final List<ReleasableThreadLocal<?>> TILL_APPLICATION_END = new CopyOnWriteArrayList<>();
    /**
     * The slots a {@link #releaseIf} left filled, until the application's end: only the slots
     * (weakly), not the thread-local, whose initial value's maker may hold a stopped recorder.
     */
    private static final List<Slots> PARTLY_RELEASED = new CopyOnWriteArrayList<>();

    private final Supplier<? extends T> initial;
    /** Each thread's slot; {@code null} for a thread that never asked for a value ({@link #peek} makes none). */
    private final ThreadLocal<Object[]> slots = new ThreadLocal<>();
    /** Every live thread's slot, for {@link #release}; a slot goes once its thread's map does. */
    private final Slots all = new Slots();
    private final ReferenceQueue<Object[]> ended = new ReferenceQueue<>();
    /** Set by {@link #release}: a value made later (a call racing the stop) is handed out, never kept. */
    private volatile boolean released;

    public ReleasableThreadLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /**
     * A thread-local that lives as long as the application, not as long as a recorder (the aspect's
     * tag arguments): released when the application ends before the JVM, see
     * {@link #releaseAtApplicationEnd}.
     */
    public static <T> ReleasableThreadLocal<T> tillApplicationEnd(Supplier<? extends T> initial) {
        ReleasableThreadLocal<T> local = new ReleasableThreadLocal<>(initial);
        TILL_APPLICATION_END.add(local);
        return local;
    }

    /**
     * The application ends and the JVM goes on (a web application undeployed, see
     * {@code Lifecycle.end}): the application's thread-locals, and what a {@link #releaseIf} left.
     */
    public static void releaseAtApplicationEnd() {
        TILL_APPLICATION_END.forEach(ReleasableThreadLocal::release);
        for (Slots partly : PARTLY_RELEASED) {
            partly.empty();
            PARTLY_RELEASED.remove(partly);
        }
    }

    @SuppressWarnings("unchecked")
    public T get() {
        Object[] slot = slots.get();
        if (slot != null) {
            Object value = slot[0];
            if (value != null) {
                return (T) value;
            }
        }
        return fill(slot);
    }

    /** This thread's value, or {@code null} if it has none: none is made. */
    @SuppressWarnings("unchecked")
    public T peek() {
        Object[] slot = slots.get();
        return slot != null ? (T) slot[0] : null;
    }

    public void set(T value) {
        slot()[0] = value;
    }

    /**
     * Empties every thread's slot. Meant for when the owner is done (its recorder stopped, the
     * application undeployed): a thread still setting its value meanwhile may keep it.
     */
    public void release() {
        released = true;
        all.empty();
        PARTLY_RELEASED.remove(all);
    }

    /**
     * Empties the slots whose value {@code done} accepts, read as the other threads last wrote it:
     * for an owner that lets go of some threads' values while others still use theirs, which they
     * empty themselves ({@link #set} to {@code null}). Those left are emptied at the application's
     * end at the latest ({@link #releaseAtApplicationEnd}), should a thread never get to it.
     */
    @SuppressWarnings("unchecked")
    public void releaseIf(Predicate<? super T> done) {
        boolean left = false;
        for (Reference<Object[]> ref : all.refs) {
            Object[] slot = ref.get();
            if (slot != null) {
                Object value = slot[0];
                if (value != null && done.test((T) value)) {
                    slot[0] = null;
                } else if (value != null) {
                    left = true;
                }
            }
        }
        if (left && !PARTLY_RELEASED.contains(all)) {
            PARTLY_RELEASED.removeIf(slots -> slots.filled() == 0); // those whose threads emptied them since
            PARTLY_RELEASED.add(all);
        }
    }

    /** Threads whose slot holds a value: for tests. */
    public int filled() {
        return all.filled();
    }

    /** Threads whose slot is still tracked: for tests. */
    int tracked() {
        forgetEnded();
        return all.refs.size();
    }

    private T fill(Object[] slot) {
        T value = initial.get();
        if (released) {
            return value; // the owner is done: a pool thread must not keep it
        }
        Object[] kept = slot != null ? slot : slot();
        kept[0] = value;
        if (released) {
            kept[0] = null; // the release ran meanwhile, and may have missed this slot
        }
        return value;
    }

    /** This thread's slot, made if it has none. */
    private Object[] slot() {
        Object[] slot = slots.get();
        if (slot == null) {
            forgetEnded();
            slot = new Object[1];
            all.refs.add(new WeakReference<>(slot, ended));
            slots.set(slot);
        }
        return slot;
    }

    private void forgetEnded() {
        for (Reference<?> gone; (gone = ended.poll()) != null; ) {
            all.refs.remove(gone);
        }
    }

    /** The threads' slots of one thread-local, held weakly: a slot goes once its thread's map does. */
    private static final class Slots {
        final Set<Reference<Object[]>> refs = ConcurrentHashMap.newKeySet();

        void empty() {
            for (Reference<Object[]> ref : refs) {
                Object[] slot = ref.get();
                if (slot != null) {
                    slot[0] = null;
                }
            }
        }

        int filled() {
            int filled = 0;
            for (Reference<Object[]> ref : refs) {
                Object[] slot = ref.get();
                if (slot != null && slot[0] != null) {
                    filled++;
                }
            }
            return filled;
        }
    }
}
