package io.rawmetrics.demo;

import io.rawmetrics.FunctionCall;

/** The workshop's {@code wsgi-1.py}: answers {@code Hello World!} at once. */
public final class HelloWorld1 implements Application {

    @Override
    @FunctionCall
    public Response application(Request request) {
        return Response.text(200, "Hello World!");
    }
}
