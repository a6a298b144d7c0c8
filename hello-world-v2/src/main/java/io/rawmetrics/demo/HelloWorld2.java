package io.rawmetrics.demo;

import io.rawmetrics.FunctionCall;

/**
 * The workshop's {@code wsgi-2.py}: the body is produced lazily, 50 ms of work after the entry
 * point has returned. The declared return type is {@link LazyHelloWorld}, a
 * {@link io.rawmetrics.Deferred}, so the call is timed until the server closes the body: ~50 ms.
 */
public final class HelloWorld2 implements Application {

    @Override
    @FunctionCall
    public LazyHelloWorld application(Request request) {
        return new LazyHelloWorld();
    }
}
