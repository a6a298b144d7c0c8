package io.rawmetrics.aspect.internal;

import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The timing advice, shared by {@code FunctionCallAspect} (methods annotated {@code @FunctionCall})
 * and {@code TimedPointcut} (methods a user selects with a pointcut). Public only because its
 * subaspects are; not an API. Over 350 lines because AspectJ needs one advice per return type and
 * per tagged argument's position, below (NearCopiesTest checks that the copies differ only where
 * they must).
 *
 * <p>Why code style and one advice per return type: ajc inlines a code-style {@code around}
 * advice that uses only {@code thisJoinPointStaticPart} into the woven method (no closure object,
 * no {@code JoinPoint} built per call), and a typed {@code int around()} returns the method's
 * {@code int} without boxing it, where {@code Object around()} would allocate an Integer per call.
 * The typed advice bodies are the same three lines because AspectJ has no way to be generic over
 * primitive return types. Most projects have no timed method of some of these types, so
 * {@code adviceDidNotMatch} is suppressed: it would warn about our internals in every user's build.
 *
 * <p>{@code entered()} comes before the clock is read, so that what it does (in the aggregated
 * mode, count how deep the thread is in timed calls, to tell requests from the calls they make)
 * is not part of the time measured. What it returns (the thread's state in that mode, else null)
 * is handed back at the call's end, so that the thread is looked up once per call.
 *
 * <p>The join point's static part identifies the method: it is created once per woven method,
 * and the recorder describes it (name, annotation attributes) once, on its own thread.
 *
 * <p>Why the site and the thread's state are typed {@code Object} here: this code is inlined into
 * the user's classes, which must link against nothing of metrics-core's internals (EntryApiTest);
 * the site is AspectJ's own {@code JoinPoint.StaticPart}, which the core does not know, and
 * wrapping it in a type of the core's would cost a look-up per call. The core checks the state's
 * type once per call ({@code instanceof}, a class check of a few instructions).
 */
public abstract aspect TimedMethods {

    /** The method executions to time, unless {@link #excluded()}. */
    public abstract pointcut selected();

    /**
     * Never timed: our own code. Subaspects widen it; they do not define {@code timed()} itself
     * because a load-time weaver's {@code <concrete-aspect>} can only fill in abstract pointcuts
     * of the aspect it extends, and would find an abstract {@code timed()} here that a subaspect
     * had concretized under another generated method name, and refuse the aspect.
     */
    protected pointcut excluded(): within(io.rawmetrics.aspect..*);

    private pointcut timed(): selected() && !excluded();

    /**
     * Methods with a {@code @Tag} parameter. Their calls are timed by the advice below the untagged
     * ones, the same but for the site, which each call's arguments give; the untagged methods' advice
     * does not even look.
     */
    private pointcut tagged(): execution(* *(.., @io.rawmetrics.Tag (*), ..));

    /**
     * Methods with a {@code @ResultTag} and a single result to take it from. Their calls are timed
     * by the advice at the end, whose site is finished when the call ends. A {@code void} method,
     * or one whose result has many values or none (multiValued), is timed as if it had none,
     * and the build says so (the declare warning below).
     */
    private pointcut resultTagged(): execution(@io.rawmetrics.ResultTag * *(..)) && !execution(void *(..))
            && !multiValued();

    /** Lazy results of many values, or none: a result tag has no one value to take. */
    private pointcut multiValued(): execution(reactor.core.publisher.Flux *(..))
            || execution(io.reactivex.rxjava3.core.Completable *(..))
            || execution(io.reactivex.rxjava3.core.Observable *(..))
            || execution(io.reactivex.rxjava3.core.Flowable *(..))
            || execution(org.reactivestreams.Publisher *(..))
            || execution(java.util.concurrent.Flow.Publisher *(..));

    private pointcut untaggedTimed(): timed() && !tagged() && !resultTagged();

    private pointcut taggedTimed(): timed() && tagged() && !resultTagged();

    /** Methods whose {@code @Tag} arguments the advice binds: those timed by the tagged advice and by the result-tagged one. */
    private pointcut argumentsTimed(): timed() && tagged();

    private pointcut timedWithResultTag(): timed() && resultTagged();

    declare warning: timed() && execution(@io.rawmetrics.ResultTag * *(..))
            && (execution(void *(..)) || multiValued())
            : "rawmetrics: @ResultTag on a method that returns no single value (void, a Flux, Completable, Observable, Flowable or Publisher): its points are written without that tag";

    /**
     * Methods declaring a lazy result, whose work runs when it is subscribed to: Reactor's
     * {@code Mono} and {@code Flux}, RxJava 3's {@code Single}, {@code Maybe}, {@code Completable},
     * {@code Observable} and {@code Flowable}, a bare Reactive Streams or {@code Flow} publisher.
     * Exactly these declared types, so that what the advice returns in their place (the same
     * result, observed) is always of the declared type. A project without Reactor or RxJava has
     * no method declaring their types: nothing matches, and nothing of them is loaded.
     */
    private pointcut returnsLazyResult(): execution(reactor.core.publisher.Mono *(..))
            || execution(reactor.core.publisher.Flux *(..))
            || execution(io.reactivex.rxjava3.core.Single *(..))
            || execution(io.reactivex.rxjava3.core.Maybe *(..))
            || execution(io.reactivex.rxjava3.core.Completable *(..))
            || execution(io.reactivex.rxjava3.core.Observable *(..))
            || execution(io.reactivex.rxjava3.core.Flowable *(..))
            || execution(org.reactivestreams.Publisher *(..))
            || execution(java.util.concurrent.Flow.Publisher *(..));

    /*
     * A tagged method's arguments, bound by position (AspectJ has no other way without building a
     * JoinPoint per call), one advice per position that can be a tag. Declared before the timing
     * advice, so they run before it: the timing advice takes the arguments as it starts.
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(@io.rawmetrics.Tag (*), ..)) && args(argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 0, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, @io.rawmetrics.Tag (*), ..)) && args(*, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 1, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 2, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 3, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 4, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 5, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 6, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 7, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 8, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 9, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 10, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 11, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 12, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 13, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 14, argument);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    before(Object argument): argumentsTimed() && execution(* *(*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, @io.rawmetrics.Tag (*), ..)) && args(*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, argument, ..) {
        TagArguments.bind(thisJoinPointStaticPart, 15, argument);
    }


    @SuppressAjWarnings("adviceDidNotMatch")
    void around(): untaggedTimed() && execution(void *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        try {
            proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    int around(): untaggedTimed() && execution(int *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        int result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    long around(): untaggedTimed() && execution(long *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        long result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    double around(): untaggedTimed() && execution(double *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        double result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    float around(): untaggedTimed() && execution(float *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        float result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    boolean around(): untaggedTimed() && execution(boolean *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        boolean result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    /**
     * A method returning a CompletionStage (or CompletableFuture) is timed until the stage completes;
     * the stage itself is returned unchanged.
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): untaggedTimed() && execution(java.util.concurrent.CompletionStage+ *(..))
            && !execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.completesLater(thisJoinPointStaticPart, start, entered, result);
        return result;
    }

    /** A method returning a Deferred is timed until the deferred work finishes. */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): untaggedTimed() && execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.finishesLater(thisJoinPointStaticPart, start, entered, result);
        return result;
    }

    /**
     * Results whose work runs after the method returned and that this library cannot time to their
     * end: a stream, an iterator, a publisher declared as a subtype it cannot return observed
     * (a {@code ParallelFlux}, a {@code SubmissionPublisher}), a Kotlin {@code Flow} or {@code Deferred}
     * (make the function {@code suspend} instead). Such a method is timed until it
     * returns, which measures building the result, not the work: the build says so. The types are
     * named by patterns whose packages may be missing from a project: then nothing matches. The
     * Kotlin ones with {@code ..}: a name pattern, which ajc does not look up when it compiles this
     * aspect (kotlinx-coroutines is not on its class path, and a plain name would be a warning).
     */
    declare warning: timed() && !returnsLazyResult() && (execution(java.util.stream.BaseStream+ *(..))
            || execution(java.util.Iterator+ *(..)) || execution(java.util.Spliterator+ *(..))
            || execution(java.util.concurrent.Flow.Publisher+ *(..)) || execution(org.reactivestreams.Publisher+ *(..))
            || execution(io.reactivex.rxjava3.core.SingleSource+ *(..)) || execution(io.reactivex.rxjava3.core.MaybeSource+ *(..))
            || execution(io.reactivex.rxjava3.core.CompletableSource+ *(..))
            || execution(io.reactivex.rxjava3.core.ObservableSource+ *(..))
            || execution(kotlinx.coroutines..Flow+ *(..)) || execution(kotlinx.coroutines..Deferred+ *(..)))
            : "rawmetrics: this timed method returns a lazy result (a stream, an iterator, a publisher, a Kotlin Flow or Deferred), whose work runs after it returned: it is timed only until it returns. Return a CompletionStage or an io.rawmetrics.Deferred that ends when the work does, declare exactly Mono, Flux, an RxJava 3 type or Publisher, or make a Kotlin function suspend";

    /**
     * Kotlin {@code suspend} functions: compiled to methods returning {@code Object} (their value, or
     * {@code COROUTINE_SUSPENDED}) whose last parameter is a {@code Continuation}. As with
     * {@link #returnsLazyResult()}, a project without Kotlin has none.
     */
    private pointcut suspendFunction(): execution(Object *(.., kotlin.coroutines.Continuation));

    /**
     * A Kotlin {@code suspend} function is timed from its call until its result or exception
     * reaches the caller's continuation: one point per call, however often it suspends. Its state
     * machine entering the method again to resume it is not a call ({@code FunctionCalls.resumes}).
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(Object continuation): untaggedTimed() && suspendFunction() && args(.., continuation) {
        if (FunctionCalls.resumes(thisJoinPointStaticPart, continuation)) {
            return proceed(continuation);
        }
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        Object timed = FunctionCalls.suspending(thisJoinPointStaticPart, start, continuation);
        Object result;
        try {
            result = proceed(timed == null ? continuation : timed);
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        return FunctionCalls.suspendReturned(thisJoinPointStaticPart, start, entered, timed, result);
    }

    /**
     * A method returning a lazy result (see {@link #returnsLazyResult()}) is timed until the
     * subscription to it completes, fails or is cancelled; what it returns is that result, observed.
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): untaggedTimed() && returnsLazyResult() {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        return FunctionCalls.subscribedLater(thisJoinPointStaticPart, start, entered, result);
    }

    /** Other references, and the rarely timed byte, short and char (boxed through the JDK's caches). */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): untaggedTimed() && !execution(void *(..)) && !execution(int *(..)) && !execution(long *(..))
            && !execution(double *(..)) && !execution(float *(..)) && !execution(boolean *(..))
            && !execution(java.util.concurrent.CompletionStage+ *(..)) && !execution(io.rawmetrics.Deferred+ *(..))
            && !returnsLazyResult() && !suspendFunction() {
        Object entered = FunctionCalls.entered();
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(thisJoinPointStaticPart, start, entered, t);
        }
        FunctionCalls.returned(thisJoinPointStaticPart, start, entered);
        return result;
    }

    /*
     * The same advice for methods with @Tag parameters: the site, instead of the join point, is the
     * one their arguments give (read before the clock, so not part of the time measured). Kept apart
     * so that the methods without tags pay nothing for them. NearCopiesTest (integration-tests)
     * fails if a twin differs from its untagged advice beyond the site and the two commented lines.
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    void around(): taggedTimed() && execution(void *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        try {
            proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    int around(): taggedTimed() && execution(int *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        int result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    long around(): taggedTimed() && execution(long *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        long result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    double around(): taggedTimed() && execution(double *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        double result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    float around(): taggedTimed() && execution(float *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        float result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    boolean around(): taggedTimed() && execution(boolean *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        boolean result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): taggedTimed() && execution(java.util.concurrent.CompletionStage+ *(..))
            && !execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.completesLater(site, start, entered, result);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): taggedTimed() && execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.finishesLater(site, start, entered, result);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(Object continuation): taggedTimed() && suspendFunction() && args(.., continuation) {
        if (FunctionCalls.resumes(thisJoinPointStaticPart, continuation)) {
            FunctionCalls.untagged(); // not a call: nothing takes the arguments the advice above bound
            return proceed(continuation);
        }
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object timed = FunctionCalls.suspending(site, start, continuation);
        Object result;
        try {
            result = proceed(timed == null ? continuation : timed);
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        return FunctionCalls.suspendReturned(site, start, entered, timed, result);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): taggedTimed() && returnsLazyResult() {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        // The join point too: it describes the method if the subscription never ends.
        return FunctionCalls.subscribedLater(thisJoinPointStaticPart, site, start, entered, result);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): taggedTimed() && !execution(void *(..)) && !execution(int *(..)) && !execution(long *(..))
            && !execution(double *(..)) && !execution(float *(..)) && !execution(boolean *(..))
            && !execution(java.util.concurrent.CompletionStage+ *(..)) && !execution(io.rawmetrics.Deferred+ *(..))
            && !returnsLazyResult() && !suspendFunction() {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.tagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returned(site, start, entered);
        return result;
    }
    /*
     * The advice for methods with a @ResultTag: the site is unfinished until the call's end gives
     * it the result (its value, once a later result completes). One advice for every synchronous
     * return type: the result is boxed for the resolver, so a typed advice would gain nothing.
     * Kept apart so that the methods without it pay nothing for it. NearCopiesTest (integration-
     * tests) fails if one differs from its untagged twin beyond the site and the result it passes.
     */
    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): timedWithResultTag() && execution(java.util.concurrent.CompletionStage+ *(..))
            && !execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.resultTagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.completesLater(site, start, entered, result);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): timedWithResultTag() && execution(io.rawmetrics.Deferred+ *(..)) {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.resultTagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.finishesLater(site, start, entered, result);
        return result;
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(Object continuation): timedWithResultTag() && suspendFunction() && args(.., continuation) {
        if (FunctionCalls.resumes(thisJoinPointStaticPart, continuation)) {
            FunctionCalls.untagged(); // not a call: nothing takes the arguments the advice above bound
            return proceed(continuation);
        }
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.resultTagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object timed = FunctionCalls.suspending(site, start, continuation);
        Object result;
        try {
            result = proceed(timed == null ? continuation : timed);
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        return FunctionCalls.suspendReturned(site, start, entered, timed, result);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): timedWithResultTag() && returnsLazyResult() {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.resultTagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        // The join point too: it describes the method if the subscription never ends.
        return FunctionCalls.subscribedLater(thisJoinPointStaticPart, site, start, entered, result);
    }

    @SuppressAjWarnings("adviceDidNotMatch")
    Object around(): timedWithResultTag() && !execution(java.util.concurrent.CompletionStage+ *(..))
            && !execution(io.rawmetrics.Deferred+ *(..)) && !returnsLazyResult() && !suspendFunction() {
        Object entered = FunctionCalls.entered();
        Object site = FunctionCalls.resultTagged(thisJoinPointStaticPart);
        long start = System.nanoTime();
        Object result;
        try {
            result = proceed();
        } catch (Throwable t) {
            throw FunctionCalls.threw(site, start, entered, t);
        }
        FunctionCalls.returnedWith(site, start, entered, result);
        return result;
    }
}
