package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.lineprotocol.LineBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP request a batch becomes, as a server sees it: path, query, headers and body, for each
 * write API, with a token, with basic authentication, and gzip-compressed.
 */
class WriteRequestTest {

    private record Seen(String method, String pathAndQuery, String authorization, String encoding, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The client's port of each request: the same port, the same connection. */
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if ("gzip".equals(encoding)) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            clientPorts.add(exchange.getRemoteAddress().getPort());
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"), encoding,
                    new String(body, StandardCharsets.UTF_8)));
            if (exchange.getRequestURI().getPath().equals("/query")) { // as InfluxDB answers CREATE DATABASE
                byte[] answer = "{\"results\":[{\"statement_id\":0}]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Seen send(RawMetricsConfig config) throws Exception {
        try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
            sender.send(LineBuffer.of("m,function=f application_time=0.5 1764133200000000000\n"));
        }
        return seen.get(seen.size() - 1);
    }

    @Test
    void v2WritesToApiV2WriteWithOrgBucketNanosecondsAndTheToken() throws Exception {
        Seen request = send(RawMetricsConfig.builder().url(url("/")).api(RawMetricsConfig.WriteApi.V2)
                .orgAndBucket("acme", "requests").token("s3cret").build());

        assertEquals(new Seen("POST", "/api/v2/write?org=acme&bucket=requests&precision=ns", "Token s3cret", null,
                "m,function=f application_time=0.5 1764133200000000000\n"), request);
    }

    @Test
    void v1WithATokenAndAPathPrefixAsAClusterTakesIt() throws Exception {
        Seen request = send(RawMetricsConfig.builder().url(url("/insert/0/influx")).database("wsgi").token("s3cret").build());

        assertEquals("/insert/0/influx/write?db=wsgi&precision=n", request.pathAndQuery());
        assertEquals("Token s3cret", request.authorization());
    }

    @Test
    void v1WithAUserSendsBasicAuthenticationNotCredentialsInTheUrl() throws Exception {
        Seen request = send(RawMetricsConfig.builder().url(url("/")).database("wsgi").credentials("wsgi", "pw").build());

        assertEquals("/write?db=wsgi&precision=n", request.pathAndQuery());
        assertEquals("Basic d3NnaTpwdw==", request.authorization());
    }

    @Test
    void aBatchOfManySlicesArrivesByteForByteFromWhereItStarts() throws Exception {
        StringBuilder lines = new StringBuilder("not sent\n");
        int start = lines.length();
        for (int i = 0; i < 5000; i++) {
            lines.append("m,function=f application_time=0.").append(i).append(' ').append(1764133200000000000L + i).append('\n');
        }
        byte[] bytes = (lines + "not sent either\n").getBytes(StandardCharsets.UTF_8);
        int length = lines.length() - start;
        try (InfluxDbLineSender sender = new InfluxDbLineSender(RawMetricsConfig.builder().url(url("/")).build())) {
            sender.send(bytes, start, length);
        }
        assertEquals(lines.substring(start), seen.get(seen.size() - 1).body());
        assertEquals(true, length > 4 * 32 * 1024, "several of the body's slices");
    }

    /**
     * The writer's plain-HTTP socket gathers OkHttp's 8 KiB writes into large ones: a request must
     * still leave whole, at once, whatever its size against the gathering buffer's, and the
     * connection must stay usable for the next (a request held back would time out here).
     */
    @Test
    void batchesSmallerAndLargerThanTheSocketsGatheringBufferArriveWholeOverOneConnection() throws Exception {
        String small = "m,function=f application_time=0.5 1764133200000000000\n";
        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() < 3 * WriterSocketFactory.GATHER_BYTES + 1000; i++) {
            large.append("m,function=f application_time=0.").append(i).append(' ').append(1764133200000000000L + i).append('\n');
        }
        List<String> batches = List.of(small, large.toString(), small, large.toString(), small);
        RawMetricsConfig config = RawMetricsConfig.builder().url(url("/")).set(RawMetricsConfig.READ_TIMEOUT, "2s").build();
        try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
            for (String batch : batches) {
                sender.send(LineBuffer.of(batch));
            }
        }
        assertEquals(batches, seen.stream().map(Seen::body).toList());
        assertEquals(1, clientPorts.stream().distinct().count(), "one kept-alive connection: " + clientPorts);
    }

    /**
     * A server that takes the connection and then reads nothing: the batch's bytes fill the socket's
     * buffers and the write blocks. It must fail, as a server that is unavailable, once the timeouts
     * allow (connecting, sending and the answer: {@link InfluxDbLineSender#callTimeout}), not hang
     * the writer: the sender has no timeout per write to the socket.
     */
    @Test
    void aServerThatStopsReadingFailsTheWriteInsteadOfHangingIt() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never read from it
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            RawMetricsConfig config = RawMetricsConfig.builder().url("http://127.0.0.1:" + silent.getLocalPort())
                    .set(RawMetricsConfig.CONNECT_TIMEOUT, "200ms").set(RawMetricsConfig.READ_TIMEOUT, "200ms").build();
            byte[] batch = new byte[16 << 20]; // more than loopback's socket buffers hold
            Arrays.fill(batch, (byte) 'x');

            LineSender.WriteException failure = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try (InfluxDbLineSender sender = new InfluxDbLineSender(config)) {
                    return assertThrows(LineSender.WriteException.class, () -> sender.send(batch, 0, batch.length));
                }
            });

            assertEquals(LineSender.Failure.UNAVAILABLE, failure.failure(), failure.getMessage());
            assertTrue(!accepted.isEmpty(), "the write reached the server, which took the connection");
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void withGzipTheBodyIsCompressedAndSaysSo() throws Exception {
        Seen request = send(RawMetricsConfig.builder().url(url("/")).database("wsgi").gzip(true).build());

        assertEquals("gzip", request.encoding());
        assertEquals("m,function=f application_time=0.5 1764133200000000000\n", request.body());
        assertNull(request.authorization());
    }

    @Test
    void createDatabaseRunsOnlyForV1WithoutAToken() throws Exception {
        try (InfluxDbLineSender v1 = new InfluxDbLineSender(RawMetricsConfig.builder().url(url("/")).database("wsgi").build())) {
            v1.createDatabase();
        }
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).pathAndQuery().startsWith("/query?"), seen.get(0).pathAndQuery());
        assertTrue(java.net.URLDecoder.decode(seen.get(0).pathAndQuery(), StandardCharsets.UTF_8)
                .contains("CREATE DATABASE \"wsgi\""), seen.get(0).pathAndQuery());

        try (InfluxDbLineSender token = new InfluxDbLineSender(RawMetricsConfig.builder().url(url("/")).token("t").build());
             InfluxDbLineSender v2 = new InfluxDbLineSender(RawMetricsConfig.builder().url(url("/"))
                     .api(RawMetricsConfig.WriteApi.V2).orgAndBucket("o", "b").token("t").build())) {
            token.createDatabase();
            v2.createDatabase();
        }
        assertEquals(1, seen.size(), "a bucket, or a database behind a token, is its owner's to create");
    }
}
