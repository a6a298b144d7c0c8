package io.rawmetrics.aspect.internal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactor's {@code Mono} and {@code Flux}, observed with Reactor's own side-effect operators: the
 * result stays a {@code Mono} (a {@code Flux}), with its operator fusion and context. Loaded only
 * where a timed method declares one of them, so only where Reactor is.
 */
enum ReactorResults implements LazyResults {
    /** Ends when it emits its value or completes empty, fails, or is cancelled first. */
    MONO {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Mono<?>) result).doOnSuccess(call::completed).doOnError(call::failed)
                    .doOnCancel(call::cancelled);
        }
    },
    /** Ends when it completes, fails, or is cancelled first (a {@code take(n)} cancels once it has n). */
    FLUX {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Flux<?>) result).doOnComplete(call::completed).doOnError(call::failed).doOnCancel(call::cancelled);
        }
    }
}
