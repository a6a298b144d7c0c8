package io.rawmetrics.aspect.internal;

import io.rawmetrics.internal.lifecycle.CallEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import kotlin.Result;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Kotlin {@code suspend} functions. One compiles to a method with a trailing {@code Continuation}
 * parameter, returning either its result or {@code COROUTINE_SUSPENDED}; when the coroutine
 * resumes, the function's own state machine (a {@code ContinuationImpl} that Kotlin generates
 * inside the method) calls the same method again, with itself as the continuation and the sign
 * bit of its {@code label} set. An advice on the method runs on every entry: the first is the
 * call, the others are not ({@link #resumes}).
 *
 * <p>The call is timed until its result or exception reaches the caller's continuation: the
 * method is given a {@link TimedContinuation} in its place, which the state machine resumes when
 * the function ends. Loaded only where a timed suspend function runs, so only where Kotlin is.
 */
final class SuspendCalls {

    /** What is known of a continuation's class: the method whose state machine it is, and its label. */
    private static final ClassValue<StateMachine> MACHINES = new ClassValue<>() {
        @Override
        protected StateMachine computeValue(Class<?> type) {
            return StateMachine.of(type);
        }
    };

    private SuspendCalls() {
    }

    /** Whether this entry of {@code site} is its own state machine resuming it, not a call. */
    static boolean resumes(JoinPoint.StaticPart site, Object continuation) {
        if (continuation == null) {
            return false;
        }
        StateMachine machine = MACHINES.get(continuation.getClass());
        return machine.label != null && machine.resuming(continuation)
                && machine.method.equals(((MethodSignature) site.getSignature()).getMethod());
    }

    /** The continuation to give the function in place of the caller's. */
    @SuppressWarnings("unchecked")
    static TimedContinuation timed(Object site, long startNanos, Object continuation) {
        return new TimedContinuation(site, startNanos, (Continuation<Object>) continuation);
    }

    /** The first entry returned {@code result}: the call ended, or it suspended and ends later. */
    static Object returned(Object site, long startNanos, Object entered, Object timed, Object result) {
        if (result == IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
            ((TimedContinuation) timed).suspended(CallEntry.leftPending(entered));
        } else {
            long endNanos = System.nanoTime();
            CallEntry.returned(ResultTags.returned(site, result), startNanos, endNanos, entered);
        }
        return result;
    }

    /** A class of continuation: a suspend function's state machine, or anything else (method null). */
    private static final class StateMachine {
        final Method method;
        final VarHandle label;

        private StateMachine(Method method, VarHandle label) {
            this.method = method;
            this.label = label;
        }

        static StateMachine of(Class<?> type) {
            try {
                Method enclosing = type.getEnclosingMethod();
                Field label = type.getDeclaredField("label");
                if (enclosing == null || label.getType() != int.class) {
                    return new StateMachine(null, null);
                }
                return new StateMachine(enclosing, MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                        .unreflectVarHandle(label));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return new StateMachine(null, null);
            }
        }

        /** Kotlin's state machine sets its label's sign bit before it calls its method again. */
        boolean resuming(Object continuation) {
            return ((int) label.getVolatile(continuation) & Integer.MIN_VALUE) != 0;
        }
    }

    /**
     * Stands in for the caller's continuation: when the function's result or exception reaches it,
     * the call ends, and it passes them on. The coroutine may resume it on another thread before the
     * first entry has even returned {@code COROUTINE_SUSPENDED} to the advice: whichever of the two
     * comes second records the call, at the time the result came.
     */
    static final class TimedContinuation implements Continuation<Object> {
        private static final int RUNNING = 0;
        private static final int SUSPENDED = 1;
        private static final int ENDED_FIRST = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(TimedContinuation.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Object site;
        private final long startNanos;
        private final Continuation<Object> caller;
        /** The span current where the call started, or null: the call may end on any thread. */
        private final Object span;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        private boolean request;
        private long endNanos;
        private Throwable error;
        private Object value;

        TimedContinuation(Object site, long startNanos, Continuation<Object> caller) {
            this.site = site;
            this.startNanos = startNanos;
            this.caller = caller;
            this.span = CallEntry.currentSpan();
        }

        @Override
        public CoroutineContext getContext() {
            return caller.getContext();
        }

        @Override
        public void resumeWith(Object result) {
            long end = System.nanoTime();
            Throwable failure = result instanceof Result.Failure f ? f.exception : null;
            if ((int) STATE.getVolatile(this) == SUSPENDED) {
                record(end, failure, result);
            } else {
                endNanos = end;
                error = failure;
                value = result;
                if (!STATE.compareAndSet(this, RUNNING, ENDED_FIRST)) {
                    record(end, failure, result); // the advice has just set SUSPENDED, and request with it
                }
            }
            caller.resumeWith(result);
        }

        /** The first entry returned {@code COROUTINE_SUSPENDED}; {@code request} is whether the call was outermost. */
        void suspended(boolean request) {
            this.request = request;
            if (!STATE.compareAndSet(this, RUNNING, SUSPENDED)) {
                record(endNanos, error, value); // the result came first
            }
        }

        /** {@code result}: what the function ended with, for a {@code @ResultTag}'s value. */
        private void record(long end, Throwable failure, Object result) {
            Object ended = failure == null ? ResultTags.returned(site, result) : ResultTags.threw(site);
            CallEntry.endedLater(ended, startNanos, end, failure == null ? null : failure.getClass(), request, span);
        }
    }
}
