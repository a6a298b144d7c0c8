package io.rawmetrics.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rawmetrics.RequestMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's {@code mod_wsgi-express}: serves one {@link Application} on a fixed pool of threads,
 * writes the response's body, then closes the response, exactly once, whatever happened.
 */
public final class WsgiServer implements AutoCloseable {

    static {
        // The JDK server writes headers and body as separate segments; with Nagle's algorithm on,
        // a keep-alive client's delayed ACK then costs ~40 ms per request (wrk saw 90 requests/s).
        // Read once by the JDK when its server classes load, so set before the first HttpServer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    /** When the request a worker is running was handed to the pool. */
    private static final ThreadLocal<long[]> ACCEPTED = ThreadLocal.withInitial(() -> new long[1]);

    private final HttpServer server;
    private final ExecutorService workers;
    private final Application application;
    private final PrintStream requestLog;
    /**
     * Requests handled, whatever their status: what the points are compared with. A client may send
     * a request more than its code asked for (the JDK's HttpClient sends a GET again when a
     * kept-alive connection is reset), and each one served is a timed call.
     */
    private final AtomicLong served = new AtomicLong();

    /**
     * Starts serving.
     *
     * @param requestLog where to log each request, Apache style, or {@code null} for no log
     */
    public WsgiServer(Application application, String host, int port, int threads, PrintStream requestLog)
            throws IOException {
        this.application = application;
        this.requestLog = requestLog;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory names = r -> new Thread(r, "request-" + n.incrementAndGet());
        this.workers = Executors.newFixedThreadPool(threads, names);
        // The JDK server reads a request on its dispatcher thread, then hands it to the executor:
        // noting the time here makes the request's queue time (waiting for a worker) measurable.
        server.setExecutor(exchange -> {
            long accepted = System.nanoTime();
            workers.execute(() -> {
                ACCEPTED.get()[0] = accepted;
                exchange.run();
            });
        });
        server.createContext("/", this::handle);
        server.start();
    }

    /** Requests handled so far, each of them a call of the application. */
    public long served() {
        return served.get();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        long accepted = ACCEPTED.get()[0];
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRemoteAddress().getAddress().getHostAddress());
        int status = 500;
        long length = 0;
        try {
            Response response = application.application(request);
            try {
                status = response.status();
                length = response.contentLength();
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
                exchange.sendResponseHeaders(status, length);
                try (OutputStream body = exchange.getResponseBody()) {
                    response.writeBody(body);
                }
            } finally {
                response.close();
            }
        } catch (RuntimeException e) {
            status = 500;
            length = 0;
            exchange.sendResponseHeaders(500, -1);
            throw e;
        } finally {
            served.incrementAndGet();
            exchange.close();
            // The workshop's server_time (arrival to response end) and queue_time, for the aggregated mode.
            RequestMetrics.serverTime(System.nanoTime() - accepted);
            RequestMetrics.queueTime(started - accepted);
            log(request, status, length);
        }
    }

    private void log(Request request, int status, long length) {
        if (requestLog != null) {
            String target = request.query() == null ? request.path() : request.path() + "?" + request.query();
            requestLog.printf("%s - - [%s] \"%s %s\" %d %d%n", request.remoteAddress(),
                    LOG_TIME.format(ZonedDateTime.now()), request.method(), target, status, length);
        }
    }

    /** Stops accepting, lets requests in progress finish for up to a second, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
