package io.rawmetrics.aspect.internal;

/**
 * How to time a lazy result to the end of its subscription, by the type a timed method declares.
 * Each kind lives in a class of its own that names its library's types ({@link ReactorResults},
 * {@link RxJavaResults}, {@link ReactiveStreamsResults}, {@link FlowResults}), loaded the first time a method declaring one
 * of them returns: an application without Reactor or RxJava never loads a class that names them.
 */
interface LazyResults {

    /** The kind for a declared return type, worked out once per type. */
    ClassValue<LazyResults> OF_DECLARED_TYPE = new ClassValue<>() {
        @Override
        protected LazyResults computeValue(Class<?> type) {
            switch (type.getName()) {
                case "reactor.core.publisher.Mono":
                    return ReactorResults.MONO;
                case "reactor.core.publisher.Flux":
                    return ReactorResults.FLUX;
                case "io.reactivex.rxjava3.core.Single":
                    return RxJavaResults.SINGLE;
                case "io.reactivex.rxjava3.core.Maybe":
                    return RxJavaResults.MAYBE;
                case "io.reactivex.rxjava3.core.Completable":
                    return RxJavaResults.COMPLETABLE;
                case "io.reactivex.rxjava3.core.Observable":
                    return RxJavaResults.OBSERVABLE;
                case "io.reactivex.rxjava3.core.Flowable":
                    return RxJavaResults.FLOWABLE;
                case "org.reactivestreams.Publisher":
                    return ReactiveStreamsResults.PUBLISHER;
                case "java.util.concurrent.Flow$Publisher":
                    return FlowResults.PUBLISHER;
                default:
                    throw new IllegalArgumentException("not a lazy result this library times: " + type.getName());
            }
        }
    };

    /**
     * Returns {@code result} (of the declared type) observed: {@code call} ends with the terminal
     * signal of its subscription.
     */
    Object timeToTheEnd(Object result, PendingCall call);
}
