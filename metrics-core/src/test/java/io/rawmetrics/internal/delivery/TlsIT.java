package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.InvalidConfigurationException;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TestCalls;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.writer.Pipeline;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to a real influxd whose self-signed certificate is trusted through rawmetrics.influxdb.trust-store. */
class TlsIT {

    private static final String TRUST_PASSWORD = "trust-pa55";

    @TempDir
    static Path keys;
    private static Path trustStore;
    private static InfluxdProcess influxd;

    @BeforeAll
    static void startInfluxdWithASelfSignedCertificate() throws Exception {
        Path serverStore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "influxd", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, out);

        KeyStore server = KeyStore.getInstance(serverStore.toFile(), "changeit".toCharArray());
        Key key = server.getKey("influxd", "changeit".toCharArray());
        Certificate certificate = server.getCertificate("influxd");
        Path certificatePem = keys.resolve("influxd.crt");
        Path keyPem = keys.resolve("influxd.key");
        Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("influxd", certificate);
        trustStore = keys.resolve("trust.p12");
        try (OutputStream file = Files.newOutputStream(trustStore)) {
            trust.store(file, TRUST_PASSWORD.toCharArray());
        }
        influxd = InfluxdProcess.startTemporaryWithTls(certificatePem, keyPem);
    }

    @AfterAll
    static void stop() {
        influxd.close();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void record(Pipeline pipeline, int calls) {
        TestCalls.record(pipeline, TimedFunction.named("App.tls"), calls);
    }

    @Test
    void httpsWithTheServersCertificateInTheTrustStoreWritesThePoints() {
        assertEquals("https", influxd.url().getScheme());
        RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("tls")
                .trustStore(trustStore, TRUST_PASSWORD).flushInterval(Duration.ofHours(1)).build();
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
        try {
            record(pipeline, 50);
            assertTrue(pipeline.flush(Duration.ofSeconds(30)));
            assertEquals(50, pipeline.delivered());
        } finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
        InfluxDB reader = InfluxDBFactory.connect(influxd.url().toString(), InfluxDbHttp.httpClient(config));
        try {
            List<Object> row = reader.query(new Query("SELECT count(application_time) FROM \"raw-requests\"", "tls"))
                    .getResults().get(0).getSeries().get(0).getValues().get(0);
            assertEquals(50.0, row.get(1));
        } finally {
            reader.close();
        }
    }

    @Test
    void withoutTheTrustStoreTheSelfSignedServerIsNotTrustedAndNothingIsWritten() {
        RawMetricsConfig config = RawMetricsConfig.builder().url(influxd.url().toString()).database("tls_untrusted")
                .flushInterval(Duration.ofHours(1)).build();
        Pipeline pipeline = new Pipeline(config, new InfluxDbLineSender(config), new HostIdentity("h", "h:1"), Clock.SYSTEM);
        try {
            record(pipeline, 5);
            assertFalse(pipeline.flush(Duration.ofMillis(500)));
            assertEquals(0, pipeline.delivered());
        } finally {
            pipeline.shutdown(Duration.ZERO);
        }
    }

    @Test
    void aMissingTrustStoreIsAStartUpErrorNamingTheKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> RawMetricsConfig.builder().trustStore(keys.resolve("nope.p12"), "x").build());
        assertEquals(RawMetricsConfig.TRUST_STORE, e.key());
        assertFalse(e.getMessage().contains("x\""), e.getMessage());
    }
}
