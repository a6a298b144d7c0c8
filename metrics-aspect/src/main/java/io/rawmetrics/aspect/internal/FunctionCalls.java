package io.rawmetrics.aspect.internal;

import io.rawmetrics.Deferred;
import io.rawmetrics.internal.lifecycle.CallEntry;
import io.rawmetrics.internal.SiteDescribers;
import io.rawmetrics.internal.tags.UnfinishedSite;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

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
        return CallEntry.entered();
    }

    /** The timed method returned. */
    public static void returned(Object site, long startNanos, Object entered) {
        CallEntry.returned(site, startNanos, entered);
    }

    /**
     * The timed method, whose site is a {@code @ResultTag}'s {@link #resultTagged unfinished one},
     * returned {@code result} (boxed, for a primitive): the site takes its value from it, after the
     * end time was read.
     */
    public static void returnedWith(Object site, long startNanos, Object entered, Object result) {
        long endNanos = System.nanoTime();
        CallEntry.returned(ResultTags.returned(site, result), startNanos, endNanos, entered);
    }

    /**
     * The timed method threw {@code error}: records it, then throws {@code error} itself, unchanged
     * and unwrapped, even if it is a checked exception. Declared to return an exception only so
     * the advice can write {@code throw FunctionCalls.threw(...)}; it never returns.
     */
    public static RuntimeException threw(Object site, long startNanos, Object entered, Throwable error) {
        CallEntry.threw(ResultTags.threw(site), startNanos, entered, error);
        throw FunctionCalls.<RuntimeException>sneakyThrow(error);
    }

    /**
     * The timed method returned a {@code CompletionStage} (or null): the call ends when the stage
     * completes, with the outcome of its completion. The stage is only observed, never replaced.
     */
    public static void completesLater(Object site, long startNanos, Object entered, Object stage) {
        if (stage == null) {
            CallEntry.returned(ResultTags.returned(site, null), startNanos, entered);
            return;
        }
        boolean request = CallEntry.leftPending(entered);
        PendingCall call = new PendingCall(site, startNanos, request);
        try {
            ((CompletionStage<?>) stage).whenComplete(call);
        } catch (RuntimeException bug) {
            // A broken CompletionStage implementation: time the call as it stands, never fail it.
            call.endsNow();
        }
    }

    /** The timed method returned a {@link Deferred} (or null): the call ends when its work finishes. */
    public static void finishesLater(Object site, long startNanos, Object entered, Object deferred) {
        if (deferred == null) {
            CallEntry.returned(ResultTags.returned(site, null), startNanos, entered);
            return;
        }
        boolean request = CallEntry.leftPending(entered);
        PendingCall call = new PendingCall(site, startNanos, request);
        try {
            // A result tag's value comes from the Deferred itself, once it finished.
            ((Deferred) deferred).whenFinished(site instanceof UnfinishedSite ? error -> call.accept(deferred, error) : call);
        } catch (RuntimeException bug) {
            call.endsNow();
        }
    }

    /**
     * The timed method returned a lazy result (a Reactor {@code Mono} or {@code Flux}, one of RxJava
     * 3's five types, a Reactive Streams or {@code java.util.concurrent.Flow} publisher): its work
     * runs when it is subscribed to, often on another thread. The call ends with the terminal
     * signal of that subscription: complete ({@code ok}), error ({@code error}, with its exception)
     * or cancel ({@code cancelled}).
     *
     * @return what the method must return instead: {@code result}, observed (the same type: the
     *         advice matches methods that declare exactly one of these types)
     */
    public static Object subscribedLater(JoinPoint.StaticPart site, long startNanos, Object entered, Object result) {
        return subscribedLater(site, site, startNanos, entered, result);
    }

    /** {@link #subscribedLater(JoinPoint.StaticPart, long, Object, Object)} of a call whose site is {@code site}, a tagged one. */
    public static Object subscribedLater(JoinPoint.StaticPart method, Object site, long startNanos, Object entered,
            Object result) {
        if (result == null) {
            CallEntry.returned(ResultTags.returned(site, null), startNanos, entered);
            return null;
        }
        boolean request = CallEntry.leftPending(entered);
        PendingCall call = new PendingCall(site, startNanos, request);
        try {
            return LazyResults.OF_DECLARED_TYPE.get(((MethodSignature) method.getSignature()).getReturnType())
                    .timeToTheEnd(result, call);
        } catch (RuntimeException | LinkageError bug) {
            // A broken publisher, or a declared type this library cannot observe: time the call as it stands.
            call.endsNow();
            return result;
        }
    }

    /**
     * A Kotlin {@code suspend} function is entered: whether this is its state machine resuming it
     * (not a call, and not timed) rather than a call. See {@link SuspendCalls}.
     */
    public static boolean resumes(JoinPoint.StaticPart site, Object continuation) {
        try {
            return SuspendCalls.resumes(site, continuation);
        } catch (RuntimeException | LinkageError bug) {
            return false;
        }
    }

    /** A call of a Kotlin {@code suspend} function: the continuation it is given instead of its caller's. */
    public static Object suspending(Object site, long startNanos, Object continuation) {
        return continuation == null ? null : SuspendCalls.timed(site, startNanos, continuation);
    }

    /**
     * The call's first entry returned {@code result}: its value, or {@code COROUTINE_SUSPENDED}, in
     * which case the call ends when its result reaches {@code timed}.
     */
    public static Object suspendReturned(Object site, long startNanos, Object entered, Object timed,
            Object result) {
        if (timed == null) {
            long endNanos = System.nanoTime();
            CallEntry.returned(ResultTags.returned(site, result), startNanos, endNanos, entered);
            return result;
        }
        return SuspendCalls.returned(site, startNanos, entered, timed, result);
    }

    /**
     * The site of a call of a method with {@code @Tag} parameters: the tagged site of its arguments,
     * which the method's {@code before} advice bound ({@link TagArguments}); never throws.
     */
    public static Object tagged(JoinPoint.StaticPart method) {
        return TagArguments.site(method);
    }

    /**
     * The site of a call of a method with a {@code @ResultTag}: unfinished until the call's end
     * gives it the result; it takes the arguments of the method's {@code @Tag} parameters, if any.
     * Never throws.
     */
    public static Object resultTagged(JoinPoint.StaticPart method) {
        try {
            return ResultTags.site(method);
        } catch (RuntimeException | LinkageError bug) {
            TagArguments.clear();
            return method;
        }
    }

    /** A Kotlin state machine resumed a method with {@code @Tag} parameters: not a call, its arguments are let go. */
    public static void untagged() {
        TagArguments.clear();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable error) throws T {
        throw (T) error;
    }
}
