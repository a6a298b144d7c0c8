package io.rawmetrics.aspect.internal;

import io.rawmetrics.internal.lifecycle.CallEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A call whose end comes later, from whichever thread ends it: a CompletionStage's completion, a
 * {@code Deferred}'s finish, the terminal signal of the subscription to a lazy result. Records
 * once: the first end wins (a {@code Deferred} implementation that calls its listener twice, a
 * publisher subscribed twice, a cancel after completion). It holds no reference the library keeps:
 * a stage that never completes, a publisher never subscribed to, is collected with it and records
 * nothing.
 */
final class PendingCall implements BiConsumer<Object, Throwable>, Consumer<Throwable> {

    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(PendingCall.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object site;
    private final long startNanos;
    /** Whether the call was the outermost timed call on the thread that made it. */
    private final boolean request;
    /** The span the call ran in where it started, or null: its point names that span, wherever it ends. */
    private final Object span;
    @SuppressWarnings("unused") // accessed through FINISHED
    private volatile boolean finished;

    /** Made on the thread that made the call, as the method returns: the span current there is the call's. */
    PendingCall(Object site, long startNanos, boolean request) {
        this.site = site;
        this.startNanos = startNanos;
        this.request = request;
        this.span = CallEntry.currentSpan();
    }

    /** A CompletionStage completed with {@code value}, or with {@code error} if it is not null. */
    @Override
    public void accept(Object value, Throwable error) {
        if (error == null) {
            completed(value);
        } else {
            // CompletableFuture wraps the real failure for dependent stages: report the cause.
            failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        }
    }

    /** The work ended: normally if {@code error} is null. */
    @Override
    public void accept(Throwable error) {
        accept(null, error);
    }

    /** The work ended without a value (a Flux's completion, an empty Maybe's). */
    void completed() {
        completed(null);
    }

    /** The work ended with {@code value}, from which a {@code @ResultTag} takes its value. */
    void completed(Object value) {
        if (FINISHED.compareAndSet(this, false, true)) {
            long endNanos = System.nanoTime(); // before a result tag's resolver runs
            CallEntry.endedLater(ResultTags.returned(site, value), startNanos, endNanos, null, request, span);
        }
    }

    void failed(Throwable error) {
        if (FINISHED.compareAndSet(this, false, true)) {
            CallEntry.threwLater(ResultTags.threw(site), startNanos, error, request, span);
        }
    }

    void cancelled() {
        if (FINISHED.compareAndSet(this, false, true)) {
            CallEntry.cancelledLater(ResultTags.cancelled(site), startNanos, request, span);
        }
    }

    /** The result could not be observed (a broken implementation): the call ends now, as it returned. */
    void endsNow() {
        completed();
    }
}
