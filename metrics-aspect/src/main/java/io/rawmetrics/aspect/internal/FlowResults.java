package io.rawmetrics.aspect.internal;

import java.util.concurrent.Flow;

/** {@link ReactiveStreamsResults} for a method declared to return a {@code java.util.concurrent.Flow.Publisher}. */
enum FlowResults implements LazyResults {
    PUBLISHER;

    @Override
    public Object timeToTheEnd(Object result, PendingCall call) {
        Flow.Publisher<?> source = (Flow.Publisher<?>) result;
        return (Flow.Publisher<Object>) subscriber -> source.subscribe(new TimedFlowSubscriber(subscriber, call));
    }

    /** Passes every signal on; the first of complete, error and cancel ends the call. */
    private static final class TimedFlowSubscriber implements Flow.Subscriber<Object>, Flow.Subscription {
        private final Flow.Subscriber<Object> downstream;
        private final PendingCall call;
        private Flow.Subscription upstream;

        @SuppressWarnings("unchecked")
        TimedFlowSubscriber(Flow.Subscriber<?> downstream, PendingCall call) {
            this.downstream = (Flow.Subscriber<Object>) downstream;
            this.call = call;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
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
