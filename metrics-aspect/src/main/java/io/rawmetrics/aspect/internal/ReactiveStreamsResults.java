package io.rawmetrics.aspect.internal;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A method declared to return a bare {@code org.reactivestreams.Publisher}: the result is wrapped
 * in a {@code Publisher} that passes every signal through and ends the call on the first terminal
 * one. Loaded only where such a method is, so only where Reactive Streams is. {@link FlowResults}
 * is the same for the JDK's {@code Flow}, whose interfaces have the same shape and other names.
 */
enum ReactiveStreamsResults implements LazyResults {
    PUBLISHER;

    @Override
    public Object timeToTheEnd(Object result, PendingCall call) {
        Publisher<?> source = (Publisher<?>) result;
        return (Publisher<Object>) subscriber -> source.subscribe(new TimedSubscriber(subscriber, call));
    }

    /** Passes every signal on; the first of complete, error and cancel ends the call. */
    private static final class TimedSubscriber implements Subscriber<Object>, Subscription {
        private final Subscriber<Object> downstream;
        private final PendingCall call;
        private Subscription upstream;

        @SuppressWarnings("unchecked")
        TimedSubscriber(Subscriber<?> downstream, PendingCall call) {
            this.downstream = (Subscriber<Object>) downstream;
            this.call = call;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(this);
        }

        @Override
        public void onNext(Object item) {
            downstream.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            call.failed(error);
            downstream.onError(error);
        }

        @Override
        public void onComplete() {
            call.completed();
            downstream.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            call.cancelled();
            upstream.cancel();
        }
    }

}
