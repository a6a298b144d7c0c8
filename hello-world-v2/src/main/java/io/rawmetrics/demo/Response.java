package io.rawmetrics.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What an application returns: status, headers and a body the server writes, then closes, as a
 * WSGI server iterates the returned iterable and calls its {@code close()}.
 */
public interface Response extends AutoCloseable {

    int status();

    String contentType();

    /** The body's length in bytes, sent as Content-Length. */
    long contentLength();

    /** Writes the body; the server calls it once. */
    void writeBody(OutputStream out) throws IOException;

    /** The server is done with the response. */
    @Override
    default void close() {
    }

    /** A {@code text/plain} response whose body is ready at once. */
    static Response text(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Response() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public String contentType() {
                return "text/plain; charset=utf-8";
            }

            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public void writeBody(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
