package io.rawmetrics.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Answers InfluxDB's HTTP API the cheapest way possible: {@code /ping} and {@code /write} with 204,
 * {@code /query} with an empty result, request bodies read and discarded. The demo-overhead run
 * uses it to tell the library's cost inside the application from InfluxDB's own CPU on a machine
 * where both share two cores.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rawmetrics.benchmarks.HttpSink PORT</pre>
 */
public final class HttpSink {

    private static final byte[] EMPTY_RESULT = "{\"results\":[{\"statement_id\":0}]}".getBytes(StandardCharsets.UTF_8);

    private HttpSink() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/", HttpSink::answer);
        server.start();
        System.out.println("sink listening on " + server.getAddress());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStreamSink.INSTANCE);
        }
        if (exchange.getRequestURI().getPath().equals("/query")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, EMPTY_RESULT.length);
            exchange.getResponseBody().write(EMPTY_RESULT);
        } else {
            exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
    }

    /** Discards what is written to it. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
