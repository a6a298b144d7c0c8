package io.rawmetrics.aspect.internal;

import io.rawmetrics.Deferred;
import io.rawmetrics.internal.Recorder;
import io.rawmetrics.internal.SiteDescribers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.aspectj.lang.JoinPoint;

/**
 * What the woven advice calls. Public only because ajc inlines the advice into the user's
 * classes, which must be able to reach it; not an API.
 *
 * <p>Loading this class registers the describer of join points, so the recorder can name every
 * site it receives from here.
 */
public final class FunctionCalls {

    static {
        SiteDescribers.register(JoinPointDescriber.INSTANCE);
    }

    private FunctionCalls() {
    }

    /** A timed method starts; what this returns is handed back when it ends. */
    public static Object entered() {
        return Recorder.entered();
    }

    /** The timed method returned. */
    public static void returned(JoinPoint.StaticPart site, long startNanos, Object entered) {
        Recorder.returned(site, startNanos, entered);
    }

    /**
     * The timed method threw {@code error}: records it, then throws {@code error} itself, unchanged
     * and unwrapped, even if it is a checked exception. Declared to return an exception only so
     * the advice can write {@code throw FunctionCalls.threw(...)}; it never returns.
     */
    public static RuntimeException threw(JoinPoint.StaticPart site, long startNanos, Object entered, Throwable error) {
        Recorder.threw(site, startNanos, entered, error);
        throw FunctionCalls.<RuntimeException>sneakyThrow(error);
    }

    /**
     * The timed method returned a {@code CompletionStage} (or null): the call ends when the stage
     * completes, with the outcome of its completion. The stage is only observed, never replaced.
     */
    public static void completesLater(JoinPoint.StaticPart site, long startNanos, Object entered, Object stage) {
        if (stage == null) {
            Recorder.returned(site, startNanos, entered);
            return;
        }
        boolean request = Recorder.leftPending(entered);
        try {
            ((CompletionStage<?>) stage).whenComplete(new PendingCall(site, startNanos, request));
        } catch (RuntimeException bug) {
            // A broken CompletionStage implementation: time the call as it stands, never fail it.
            Recorder.returnedLater(site, startNanos, request);
        }
    }

    /** The timed method returned a {@link Deferred} (or null): the call ends when its work finishes. */
    public static void finishesLater(JoinPoint.StaticPart site, long startNanos, Object entered, Object deferred) {
        if (deferred == null) {
            Recorder.returned(site, startNanos, entered);
            return;
        }
        boolean request = Recorder.leftPending(entered);
        try {
            ((Deferred) deferred).whenFinished(new PendingCall(site, startNanos, request));
        } catch (RuntimeException bug) {
            Recorder.returnedLater(site, startNanos, request);
        }
    }

    /**
     * A call whose end comes later, from whichever thread completes it. Records once, even if a
     * {@link Deferred} implementation calls its listener twice. It holds no reference the library
     * keeps: a stage that never completes is collected with its listener, and records nothing.
     */
    private static final class PendingCall implements BiConsumer<Object, Throwable>, Consumer<Throwable> {
        private static final VarHandle FINISHED;

        static {
            try {
                FINISHED = MethodHandles.lookup().findVarHandle(PendingCall.class, "finished", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final JoinPoint.StaticPart site;
        private final long startNanos;
        /** Whether the call was the outermost timed call on the thread that made it. */
        private final boolean request;
        @SuppressWarnings("unused") // accessed through FINISHED
        private volatile boolean finished;

        PendingCall(JoinPoint.StaticPart site, long startNanos, boolean request) {
            this.site = site;
            this.startNanos = startNanos;
            this.request = request;
        }

        @Override
        public void accept(Object value, Throwable error) {
            accept(error);
        }

        @Override
        public void accept(Throwable error) {
            if (!FINISHED.compareAndSet(this, false, true)) {
                return;
            }
            if (error == null) {
                Recorder.returnedLater(site, startNanos, request);
            } else {
                // CompletableFuture wraps the real failure for dependent stages: report the cause.
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                Recorder.threwLater(site, startNanos, cause, request);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable error) throws T {
        throw (T) error;
    }
}
