package io.rawmetrics.dashboard;

import io.rawmetrics.RawMetricsConfig;

/**
 * Where the dashboard reads and where it listens: the library's InfluxDB settings, a host (the
 * loopback interface unless told otherwise: the page is not meant for the network) and a port
 * (3000, Grafana's, unless told otherwise).
 */
record DashboardSettings(RawMetricsConfig influx, String host, int port) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 3000;

    String database() {
        return influx.database();
    }

    String url() {
        return influx.url().toString();
    }
}
