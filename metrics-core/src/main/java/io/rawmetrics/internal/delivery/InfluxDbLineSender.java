package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
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
 * <p>One concept, the HTTP conversation with the server (two write APIs, TLS and its trust store,
 * basic or token authentication, timeouts, and what each status code means), hence its length.
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

    public InfluxDbLineSender(RawMetricsConfig config) {
        clientMade = true;
        OkHttpClient.Builder builder = httpClient(config);
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
        this.writeUrl = writeUrl(config);
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

    /** The write endpoint of {@code config}'s API, under its URL's path, with its query parameters. */
    static HttpUrl writeUrl(RawMetricsConfig config) {
        HttpUrl.Builder write = HttpUrl.get(config.url().toString()).newBuilder();
        if (config.api() == RawMetricsConfig.WriteApi.V2) {
            write.addPathSegments("api/v2/write");
            if (config.org() != null) {
                write.addQueryParameter("org", config.org());
            }
            write.addQueryParameter("bucket", config.bucket()).addQueryParameter("precision", "ns");
        } else {
            write.addPathSegment("write").addQueryParameter("db", config.database());
            if (config.retentionPolicy() != null) {
                write.addQueryParameter("rp", config.retentionPolicy());
            }
            write.addQueryParameter("precision", "n");
        }
        return write.build();
    }

    /** The HTTP client for {@code config}: timeouts, the writer's sockets and, if given, the trust store. */
    static OkHttpClient.Builder httpClient(RawMetricsConfig config) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .socketFactory(new WriterSocketFactory(!"https".equalsIgnoreCase(config.url().getScheme())))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                // No timeout per write to the socket: Okio enforces one by waking its watchdog thread
                // around every write (a dozen or more per batch), a futex wake and a context switch
                // each, measured at an eighth of the writer's CPU. The whole call is bounded instead
                // (one wake-up per call): the connection, sending the batch to a server that reads it
                // as it comes (one that stops reading is cut off here), and its answer.
                .writeTimeout(Duration.ZERO)
                .callTimeout(callTimeout(config));
        if (!"https".equalsIgnoreCase(config.url().getScheme())) {
            // Plain HTTP only: OkHttp then sets up no TLS, and the JDK's trust store is never loaded
            // (some 1,600 certificate objects, about 1 MB of heap kept for the life of the process).
            http.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        if (config.trustStore() != null) {
            X509TrustManager trust = trustManager(config);
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trust}, null);
                http.sslSocketFactory(tls.getSocketFactory(), trust);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS with " + RawMetricsConfig.TRUST_STORE + " "
                        + config.trustStore() + ": " + e.getMessage(), e);
            }
        }
        return http;
    }

    /** What a whole write may take: connecting, sending, and the answer (see {@link #httpClient}). */
    static Duration callTimeout(RawMetricsConfig config) {
        return config.connectTimeout().plus(config.readTimeout().multipliedBy(2));
    }

    /**
     * Reads the trust store, if one is set, as making a sender will: a bad one is a bad setting, to
     * be reported when recording starts, though the sender itself is made later ({@link DeferredSender}).
     *
     * @throws io.rawmetrics.InvalidConfigurationException naming the key and the file
     */
    public static void checkTrustStore(RawMetricsConfig config) {
        if (config.trustStore() != null) {
            trustManager(config);
        }
    }

    private static X509TrustManager trustManager(RawMetricsConfig config) {
        char[] password = config.trustStorePassword() == null ? null : config.trustStorePassword().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(config.trustStore().toFile(), password);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager for " + config.trustStore());
        } catch (IOException | GeneralSecurityException e) {
            // The message names the file, never the password.
            throw new io.rawmetrics.InvalidConfigurationException(RawMetricsConfig.TRUST_STORE,
                    "cannot read '" + config.trustStore() + "' as a trust store: " + e.getMessage());
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
            String error = errorText(response.body() == null ? "" : response.body().string());
            String message = "HTTP " + status + (error.isEmpty() ? "" : ": " + error);
            throw new WriteException(message, failureOf(status), null,
                    status == 400 ? rejectedPoints(error) : WriteException.UNKNOWN);
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

    /** What an HTTP status of a failed write means for the batch. */
    static Failure failureOf(int status) {
        return switch (status) {
            case 400 -> Failure.BAD_POINTS;
            case 413 -> Failure.TOO_LARGE;
            case 408, 429 -> Failure.UNAVAILABLE;
            default -> status >= 500 ? Failure.UNAVAILABLE : Failure.REFUSED;
        };
    }

    private static final Pattern ERROR_FIELD = Pattern.compile("\\{\\s*\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The text of InfluxDB's {@code {"error":"..."}} answer, unescaped; any other body as it is,
     * trimmed (a proxy's HTML page, say).
     */
    static String errorText(String body) {
        Matcher m = ERROR_FIELD.matcher(body);
        if (!m.find()) {
            return body.strip();
        }
        String escaped = m.group(1);
        StringBuilder text = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                text.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'u' -> {
                    if (i + 4 < escaped.length()) {
                        text.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> text.append(next); // \" \\ \/
            }
        }
        return text.toString();
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

    private static final Pattern PARTIAL_WRITE = Pattern.compile("partial write:.*dropped=(\\d+)", Pattern.DOTALL);
    private static final String UNPARSABLE = "unable to parse '";

    /**
     * How many points a "partial write" refused, after which InfluxDB 1.x has stored the others;
     * {@link WriteException#UNKNOWN} for any other failure. InfluxDB 1.6 counts points it
     * refused for a field type conflict or the retention policy in {@code dropped=N}, and reports
     * each line it could not parse separately, with {@code dropped=0}: both are added up. (The
     * writer's own lines always parse: their names are validated where they enter.)
     */
    static int rejectedPoints(String message) {
        Matcher m = message == null ? null : PARTIAL_WRITE.matcher(message);
        if (m == null || !m.find()) {
            return WriteException.UNKNOWN;
        }
        int unparsable = 0;
        for (int i = message.indexOf(UNPARSABLE); i >= 0; i = message.indexOf(UNPARSABLE, i + 1)) {
            unparsable++;
        }
        return Integer.parseInt(m.group(1)) + unparsable;
    }

    /** An InfluxQL identifier in double quotes, so any database name is accepted. */
    public static String quoteIdentifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The writer's sockets: Nagle's algorithm off and, for plain HTTP, writes gathered into large
     * ones.
     *
     * <p>Nagle: OkHttp leaves it on; a batch then ends in a small segment held back until the
     * server's delayed ACK, and one sender measured 30 ms per 5000-line batch (165,000 points/s)
     * against 12 ms (400,000 points/s) with it off.
     *
     * <p>Gathering: OkHttp hands the socket one write per 8 KiB Okio segment, about 90 for a
     * 5000-line batch, and with Nagle off each becomes a TCP segment of its own, each taking its
     * own trip through the kernel's network stack (on loopback, the receiving side's too, on the
     * writer's thread). Through a {@link BufferedOutputStream} of {@value #GATHER_BYTES} bytes the
     * same batch is three writes. Measured side by side against a local influxd (one thread POSTing
     * 5000-line batches, CPU time of that thread per point): 435 / 346 / 386 ns a point with 8 KiB
     * writes, 231 / 260 / 283 ns gathered. OkHttp flushes the stream when a request is complete, so
     * nothing waits in the buffer. TLS sockets are left as they are: the JDK's TLS layer frames and
     * writes its records itself, and only plain HTTP was measured.
     */
    static final class WriterSocketFactory extends SocketFactory {
        static final int GATHER_BYTES = 256 * 1024;

        private final boolean gather;

        WriterSocketFactory(boolean gather) {
            this.gather = gather;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = gather ? new GatheringSocket() : new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private Socket connected(InetSocketAddress remote) throws IOException {
            return connected(remote, null);
        }

        /** A socket bound to {@code local} (any address if null) and connected; closed if either fails. */
        private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket socket = createSocket();
            try {
                socket.bind(local);
                socket.connect(remote);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    /** A plain socket whose output stream gathers writes; see {@link WriterSocketFactory}. */
    private static final class GatheringSocket extends Socket {
        private OutputStream output;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (output == null) {
                output = new BufferedOutputStream(super.getOutputStream(), WriterSocketFactory.GATHER_BYTES);
            }
            return output;
        }
    }
}
