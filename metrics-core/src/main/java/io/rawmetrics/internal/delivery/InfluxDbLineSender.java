package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.influxdb.impl.InfluxDBImpl;
import retrofit2.Retrofit;

/**
 * Writes batches with the OkHttp client influxdb-java brings, to InfluxDB 1.x's {@code /write} or
 * to the v2 API's {@code /api/v2/write} (InfluxDB 2.x, 3.x, Cloud, VictoriaMetrics), under the
 * configured URL's path (a cluster's {@code /insert/0/influx}, say); runs {@code CREATE DATABASE}
 * through influxdb-java (v1 without a token only).
 *
 * <p>Writes bypass influxdb-java for two reasons. It takes a {@code String}, so a batch already
 * encoded as UTF-8 bytes would be decoded and encoded again (two copies per batch); here the
 * writer's own bytes are the request body. And it hides the HTTP status behind exception types,
 * while the writer must tell a batch too large (413: split it) from points refused (400) from a
 * server that is down (retry). influxdb-java's own batching is not used either: its queue blocks
 * the caller when full and it wants a {@code Point} object per call.
 *
 * <p>How the server is reached (the endpoint, TLS, timeouts, the writer's sockets) is
 * {@link InfluxDbHttp}'s; what its answers mean, {@link InfluxDbAnswers}'.
 */
public final class InfluxDbLineSender implements LineSender {

    private static final MediaType LINE_PROTOCOL = MediaType.get("text/plain; charset=utf-8");

    /** Whether a client was ever made here, which starts OkHttp's shared threads: see {@link #endSharedThreads}. */
    private static volatile boolean clientMade;

    private final InfluxDB influxDB;
    private final OkHttpClient http;
    private final HttpUrl writeUrl;
    private final String authorization;
    private final String database;
    private final boolean createsDatabases;
    private final boolean gzip;
    private final String server;

    public InfluxDbLineSender(RawMetricsConfig config) {
        clientMade = true;
        OkHttpClient.Builder builder = InfluxDbHttp.httpClient(config);
        // influxdb-java (Retrofit) wants a base URL ending in '/' when it has a path (/insert/0/influx).
        String url = config.url().toString().endsWith("/") ? config.url().toString() : config.url() + "/";
        this.http = builder.build();
        // What InfluxDBFactory.connect does, but with Retrofit given our client: left without one,
        // Retrofit makes a default OkHttpClient, which loads the JDK's trust store even for http.
        this.influxDB = new InfluxDBImpl(url, config.username(), config.password(), builder,
                new Retrofit.Builder().client(http), InfluxDB.ResponseFormat.JSON);
        this.database = config.database();
        // A v2 bucket, or a database behind a token (InfluxDB 2.x/3.x's v1 compatibility API: a DBRP
        // mapping), is created by its owner; influxdb-java's query could not carry the token anyway.
        this.createsDatabases = config.api() == RawMetricsConfig.WriteApi.V1 && config.token() == null;
        this.gzip = config.gzip();
        this.server = server(config);
        this.writeUrl = InfluxDbHttp.writeUrl(config);
        // A header, not influxdb-java's u= and p= query parameters: a URL ends up in logs.
        if (config.token() != null) {
            this.authorization = "Token " + config.token();
        } else if (config.username() != null) {
            this.authorization = Credentials.basic(config.username(), config.password() == null ? "" : config.password(),
                    StandardCharsets.UTF_8);
        } else {
            this.authorization = null;
        }
    }

    @Override
    public void createDatabase() throws WriteException {
        if (!createsDatabases) {
            return;
        }
        try {
            QueryResult result = influxDB.query(new Query("CREATE DATABASE " + quoteIdentifier(database)));
            if (result.hasError()) {
                throw new WriteException("CREATE DATABASE " + database + " failed: " + result.getError(), Failure.REFUSED, null);
            }
        } catch (InfluxDBException e) {
            throw new WriteException("CREATE DATABASE " + database + " failed: " + e.getMessage(),
                    e.isRetryWorth() ? Failure.UNAVAILABLE : Failure.REFUSED, e);
        } catch (RuntimeException e) {
            throw new WriteException("CREATE DATABASE " + database + " failed: " + e, Failure.UNAVAILABLE, e);
        }
    }

    /** How messages name the server of {@code config}. */
    static String server(RawMetricsConfig config) {
        return "InfluxDB at " + config.url();
    }

    @Override
    public String server() {
        return server;
    }

    @Override
    public boolean targetMissing(WriteException failure) {
        return InfluxDbAnswers.isDatabaseNotFound(failure);
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws WriteException {
        Request.Builder request = new Request.Builder().url(writeUrl);
        if (gzip) {
            request.post(gzipped(bytes, offset, length)).header("Content-Encoding", "gzip");
        } else {
            request.post(new BatchBody(bytes, offset, length));
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return;
            }
            int status = response.code();
            String error = InfluxDbAnswers.errorText(response.body() == null ? "" : response.body().string());
            String message = "HTTP " + status + (error.isEmpty() ? "" : ": " + error);
            throw new WriteException(message, InfluxDbAnswers.failureOf(status), null,
                    status == 400 ? InfluxDbAnswers.rejectedPoints(error) : WriteException.UNKNOWN);
        } catch (IOException e) {
            throw new WriteException(e.toString(), Failure.UNAVAILABLE, e);
        } catch (RuntimeException e) {
            // OkHttp reports some transport failures (a broken TLS set-up, a refused route) as
            // runtime exceptions: like an I/O error, worth another try.
            throw new WriteException(e.toString(), Failure.UNAVAILABLE, e);
        }
    }

    /**
     * A batch's bytes as a request body, handed to the connection a slice at a time. OkHttp copies
     * a body into Okio segments of 8 KiB; written whole, a 700 KB batch takes about 90 segments at
     * once, and Okio's pool keeps 64 KiB of them, so most were allocated anew for every batch (a
     * fifth of the writer's samples, in Okio's {@code SegmentPool.take}). Written a slice at a time,
     * each slice's segments go out to the socket and back to the pool before the next is copied.
     */
    private static final class BatchBody extends RequestBody {
        private static final int SLICE = 32 * 1024;

        private final byte[] bytes;
        private final int offset;
        private final int length;

        BatchBody(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public MediaType contentType() {
            return LINE_PROTOCOL;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (int at = offset, end = offset + length; at < end; at += SLICE) {
                sink.write(bytes, at, Math.min(SLICE, end - at)); // a buffered sink writes out its complete segments
            }
        }
    }

    /** The batch compressed, whole, so that its length is known and a retry sends the same bytes. */
    private static RequestBody gzipped(byte[] bytes, int offset, int length) throws WriteException {
        Buffer compressed = new Buffer();
        try (BufferedSink sink = Okio.buffer(new GzipSink(compressed))) {
            sink.write(bytes, offset, length);
        } catch (IOException e) {
            throw new WriteException("cannot compress a batch: " + e, Failure.UNAVAILABLE, e);
        }
        return RequestBody.create(compressed.readByteString(), LINE_PROTOCOL);
    }

    @Override
    public void close() {
        influxDB.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /**
     * The application ends before the JVM ({@link io.rawmetrics.internal.lifecycle.Lifecycle#end}): OkHttp's
     * task runner, which every client of that OkHttp shares, ends its threads now rather than a
     * minute after their last task; they would keep the application's classes until then. Only if
     * OkHttp is the application's own, loaded where this class is (a web application's
     * {@code WEB-INF/lib}): a copy shared with others is left alone. Nothing is loaded if no client
     * was ever made.
     */
    public static void endSharedThreads() {
        if (!clientMade || OkHttpClient.class.getClassLoader() != InfluxDbLineSender.class.getClassLoader()) {
            return;
        }
        TaskRunner runner = TaskRunner.INSTANCE;
        runner.cancelAll();
        if (runner.getBackend() instanceof TaskRunner.RealBackend backend) {
            backend.shutdown();
        }
    }

    /** An InfluxQL identifier in double quotes, so any database name is accepted. */
    public static String quoteIdentifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
