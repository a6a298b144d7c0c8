package io.rawmetrics.demo;

/** The Java counterpart of a WSGI application callable: one entry point for every request. */
@FunctionalInterface
public interface Application {

    Response application(Request request);
}
