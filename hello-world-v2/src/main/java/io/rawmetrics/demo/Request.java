package io.rawmetrics.demo;

/**
 * What the server tells the application about a request: the counterpart of WSGI's
 * {@code environ} (just the parts this demo uses).
 */
public record Request(String method, String path, String query, String remoteAddress) {
}
