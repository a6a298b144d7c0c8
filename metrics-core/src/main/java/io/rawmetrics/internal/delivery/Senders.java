package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;

/**
 * The one place that knows which transport a configuration writes through: InfluxDB's write API
 * (v1, v2, or VictoriaMetrics' copy of v1, all {@link InfluxDbLineSender}), made on the writer
 * thread when it first writes ({@link DeferredSender}).
 */
public final class Senders {

    private Senders() {
    }

    /**
     * The sender for {@code config}; a bad trust store is reported now, as a bad setting, though
     * the client is made later.
     *
     * @throws io.rawmetrics.InvalidConfigurationException naming the key and the file
     */
    public static LineSender forConfig(RawMetricsConfig config) {
        InfluxDbHttp.checkTrustStore(config);
        return new DeferredSender(InfluxDbLineSender.server(config), () -> new InfluxDbLineSender(config));
    }

    /** The application ends before the JVM: the HTTP client's shared threads end now (see {@link InfluxDbLineSender#endSharedThreads}). */
    public static void endSharedThreads() {
        InfluxDbLineSender.endSharedThreads();
    }
}
