package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends requests to a running demo from several threads, as siege would, and checks each answer. */
final class DemoTraffic {

    private DemoTraffic() {
    }

    /** {@code URL REQUESTS CLIENTS}: {@link #send} from a process of its own (inside a {@link PrivateNetwork}). */
    public static void main(String[] args) throws Exception {
        send(URI.create(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println("sent " + args[1] + " requests");
    }

    /** Sends {@code requests} GETs to {@code url} from {@code clients} threads; every one must answer Hello World!. */
    static void send(URI url, int requests, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> http.send(get, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(200, response.statusCode());
                assertEquals("Hello World!", response.body());
                assertEquals("12", response.headers().firstValue("Content-Length").orElseThrow());
                assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            }
        } finally {
            pool.shutdown();
        }
    }
}
