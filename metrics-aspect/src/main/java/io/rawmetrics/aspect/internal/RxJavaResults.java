package io.rawmetrics.aspect.internal;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;

/**
 * RxJava 3's five lazy types, observed with RxJava's own side-effect operators; a dispose counts as
 * a cancel. Loaded only where a timed method declares one of them, so only where RxJava is.
 */
enum RxJavaResults implements LazyResults {
    SINGLE {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Single<?>) result).doOnSuccess(call::completed).doOnError(call::failed)
                    .doOnDispose(call::cancelled);
        }
    },
    MAYBE {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Maybe<?>) result).doOnSuccess(call::completed).doOnComplete(call::completed)
                    .doOnError(call::failed).doOnDispose(call::cancelled);
        }
    },
    COMPLETABLE {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Completable) result).doOnComplete(call::completed).doOnError(call::failed)
                    .doOnDispose(call::cancelled);
        }
    },
    OBSERVABLE {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Observable<?>) result).doOnComplete(call::completed).doOnError(call::failed)
                    .doOnDispose(call::cancelled);
        }
    },
    FLOWABLE {
        @Override
        public Object timeToTheEnd(Object result, PendingCall call) {
            return ((Flowable<?>) result).doOnComplete(call::completed).doOnError(call::failed)
                    .doOnCancel(call::cancelled);
        }
    }
}
