package io.rawmetrics.demo;

import io.rawmetrics.Deferred;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The body of the workshop's {@code wsgi-2.py}, which sleeps 0.05 s and then {@code yield}s
 * {@code Hello World!}: the work happens while the server writes the body, after the application
 * has returned. It tells {@code @FunctionCall} when it is finished by being a {@link Deferred}:
 * the server's {@link #close()} is the end of the call, like WSGI's {@code close()}.
 */
final class LazyHelloWorld implements Response, Deferred {

    static final Duration WORK = Duration.ofMillis(50);
    private static final byte[] BODY = "Hello World!".getBytes(StandardCharsets.UTF_8);

    private Consumer<? super Throwable> onFinished = error -> { };
    private Throwable failure;
    private boolean closed;

    @Override
    public int status() {
        return 200;
    }

    @Override
    public String contentType() {
        return "text/plain; charset=utf-8";
    }

    @Override
    public long contentLength() {
        return BODY.length;
    }

    @Override
    public void writeBody(OutputStream out) throws IOException {
        try {
            Thread.sleep(WORK.toMillis()); // the application's work, as time.sleep(0.05) in wsgi-2.py
            out.write(BODY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            throw new IOException("interrupted while producing the body", e);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public void whenFinished(Consumer<? super Throwable> listener) {
        onFinished = listener;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onFinished.accept(failure);
        }
    }
}
