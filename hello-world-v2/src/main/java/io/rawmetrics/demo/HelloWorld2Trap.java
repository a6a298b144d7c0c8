package io.rawmetrics.demo;

import io.rawmetrics.FunctionCall;

/**
 * {@code wsgi-2} falling into the workshop's generator trap, kept to show it: the same lazy body,
 * but declared as a plain {@link Response}, so {@code @FunctionCall} cannot know the work goes on
 * after the return and times only the creation of the body: microseconds instead of 50 ms.
 */
public final class HelloWorld2Trap implements Application {

    @Override
    @FunctionCall
    public Response application(Request request) {
        return new LazyHelloWorld();
    }
}
