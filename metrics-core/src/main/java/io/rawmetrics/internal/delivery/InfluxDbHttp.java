package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * How to reach InfluxDB's write API for a configuration: the write endpoint (v1 or v2, under the
 * URL's path), the HTTP client (timeouts, the writer's sockets, TLS and its trust store).
 */
final class InfluxDbHttp {

    private InfluxDbHttp() {
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
                // around every write, a context switch each (performance.md, the figures behind the code's choices). The whole
                // call is bounded instead: the connection, the batch, and the answer.
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
    static void checkTrustStore(RawMetricsConfig config) {
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
}
