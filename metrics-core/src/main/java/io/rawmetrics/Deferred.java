package io.rawmetrics;

import java.util.function.Consumer;

/**
 * A result whose work goes on after the method returned it, like a WSGI response body that the
 * server consumes and then {@code close()}s. A {@link FunctionCall} method whose declared return
 * type is a {@code Deferred} is timed until the deferred work finishes, not until it returns.
 *
 * <p>This is the workshop's "generator trap": a Python WSGI application that {@code yield}s its
 * body returns at once, and a decorator that stops the clock on return measures microseconds
 * while the real work happens later. Methods returning a {@link java.util.concurrent.CompletionStage}
 * are handled the same way without implementing anything.
 *
 * <p>Example: a lazily written response body.
 * <pre>{@code
 * final class LazyBody implements Deferred, AutoCloseable {
 *     private Consumer<? super Throwable> onFinished = error -> { };
 *     private Throwable failure;
 *
 *     public void whenFinished(Consumer<? super Throwable> listener) { onFinished = listener; }
 *
 *     void writeTo(OutputStream out) {
 *         try { ... } catch (IOException | RuntimeException e) { failure = e; throw e; }
 *     }
 *
 *     public void close() { onFinished.accept(failure); }  // the server is done with the body
 * }
 * }</pre>
 */
public interface Deferred {

    /**
     * Registers what to run when the deferred work is finished: {@code listener.accept(null)} if
     * it succeeded, {@code listener.accept(error)} if it failed. Called once by the woven code,
     * right after the method returned this object. Implementations call the listener at most once,
     * and at once if the work is already finished.
     */
    void whenFinished(Consumer<? super Throwable> listener);
}
