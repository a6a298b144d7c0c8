package io.rawmetrics.demo;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.RequestMetrics;
import io.rawmetrics.dashboard.DashboardServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The workshop's hello-world-v2 exercise in Java. {@code mvn -pl hello-world-v2 exec:java} serves
 * {@code wsgi-1} on http://localhost:8000/ with 5 threads, every request timed by
 * {@code @FunctionCall} into InfluxDB; {@code -Dexec.args="wsgi-2 --log-to-terminal"} serves the
 * lazy variant; {@code -Dexec.args="report"} prints the Raw Requests panels as a table;
 * {@code --metrics aggregated} writes the workshop's aggregated request metrics instead of raw
 * points; {@code -Dexec.args="dashboard"} serves both dashboards on http://localhost:3000/.
 */
public final class HelloWorldV2 {

    /** The workshop's InfluxDB settings: database, user and password {@code wsgi}. */
    /** Where the demo puts points aside while InfluxDB is away: under the build's own directory. */
    static final java.nio.file.Path SPOOL = java.nio.file.Path.of("target", "rawmetrics-spool");

    static final RawMetricsConfig WORKSHOP_DEFAULTS =
            RawMetricsConfig.builder().database("wsgi").credentials("wsgi", "wsgi").spoolDirectory(SPOOL).build();
    /** The same with the v2 write API (VictoriaMetrics, InfluxDB 2.x): bucket {@code wsgi}, a token if any. */
    static final RawMetricsConfig WORKSHOP_DEFAULTS_V2 =
            RawMetricsConfig.builder().api(RawMetricsConfig.WriteApi.V2).orgAndBucket(null, "wsgi").spoolDirectory(SPOOL).build();

    /** How to see the charts without Grafana, as the banner says it. */
    static final String DASHBOARD_COMMAND = "mvn -pl hello-world-v2 exec:java -Dexec.args=\"dashboard\"";

    private HelloWorldV2() {
    }

    /** Whether the settings ask for the v2 API: then the workshop's user and password do not apply. */
    private static boolean writesV2() {
        String api = System.getProperty(RawMetricsConfig.API,
                System.getenv(RawMetricsConfig.environmentVariable(RawMetricsConfig.API)));
        return api != null && api.strip().equalsIgnoreCase("v2");
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        DemoOptions options;
        RawMetricsConfig config;
        try {
            options = DemoOptions.parse(List.of(args));
            config = options.withMetrics(RawMetricsConfig.fromEnvironment(writesV2() ? WORKSHOP_DEFAULTS_V2 : WORKSHOP_DEFAULTS));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.command().equals("report")) {
            if (config.mode() == RawMetricsConfig.Mode.AGGREGATED) {
                AggregatedReport.print(config, options.lastSeconds(), out);
            } else {
                Report.print(config, options.lastSeconds(), out);
            }
            return;
        }
        if (options.command().equals("dashboard")) {
            DashboardServer dashboard = DashboardServer.start(config, options.host(), options.port());
            out.println("Dashboard URL      : " + dashboard.url() + " (Raw Requests and Request Metrics)");
            out.println("InfluxDB           : " + config.url() + ", database " + config.database());
            out.println("Stop with Ctrl-C.");
            out.flush();
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                dashboard.close();
                closed.countDown();
            }, "dashboard-shutdown"));
            closed.await();
            return;
        }
        Running running = serve(options, config, dataDirectory(), out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }

    private static Path dataDirectory() {
        return Path.of(System.getProperty("demo.influxdb.dir", Path.of("target", "influxdb").toString()));
    }

    /** Starts InfluxDB if needed, the recorder and the server, and prints what mod_wsgi-express would. */
    static Running serve(DemoOptions options, RawMetricsConfig config, Path influxDirectory, PrintStream out)
            throws IOException {
        config = options.withMetrics(config);
        InfluxSetup influx = InfluxSetup.ensure(config, influxDirectory, out);
        Application application = options.newApplication();
        WsgiServer server = null;
        try {
            // The demo stops the recorder itself, after the server's last request.
            RawMetrics.start(config.toBuilder().shutdownHook(false).build());
            RequestMetrics.requestThreadsMaximum(options.threads());
            server = new WsgiServer(application, options.host(), options.port(), options.threads(),
                    options.logToTerminal() ? out : null);
        } finally {
            if (server == null) { // failed to start: leave no private influxd behind
                RawMetrics.stop(Duration.ofSeconds(1));
                influx.close();
            }
        }
        out.println("Server URL         : http://" + options.host() + ":" + server.port() + "/");
        out.println("Application        : " + options.application() + " (" + application.getClass().getName() + ")");
        out.println("Threads            : " + options.threads());
        out.println("Request log        : " + (options.logToTerminal() ? "terminal" : "off (--log-to-terminal)"));
        if (options.application().equals("wsgi-1")) {
            out.println("Tags               : " + (options.tagPath() ? "path, at most " + config.maxTagValues()
                    + " distinct (rawmetrics.max-tag-values)" : "none (--tag-path tags each request by its path)"));
        }
        out.println("InfluxDB URL       : " + config.url() + (influx.startedPrivateServer() ? " (private, started here)" : ""));
        if (config.api() == RawMetricsConfig.WriteApi.V2) {
            out.println("Bucket (v2 API)    : " + config.bucket() + (config.org() == null ? "" : " (org " + config.org() + ")"));
        } else {
            out.println("InfluxDB database  : " + config.database() + (config.username() == null ? "" : " (user " + config.username() + ")"));
        }
        out.println("Metrics            : " + config.mode() + " (--metrics raw|aggregated|both)");
        if (config.mode().raw()) {
            out.println("Measurement        : " + config.measurement() + ", a point per request, written every "
                    + config.flushInterval().toMillis() + " ms");
        }
        if (config.mode().aggregated()) {
            out.println("Measurements       : request-metrics and function-metrics, written every "
                    + config.aggregationInterval().toMillis() + " ms");
        }
        out.println("Dashboard          : " + DASHBOARD_COMMAND + " serves http://localhost:3000/");
        out.println("Stop with Ctrl-C.");
        out.flush();
        return new Running(server, influx, out);
    }

    /** A running demo: {@link #close()} stops serving, writes the pending points, and stops a private InfluxDB. */
    record Running(WsgiServer server, InfluxSetup influx, PrintStream out) implements AutoCloseable {

        int port() {
            return server.port();
        }

        long served() {
            return server.served();
        }

        @Override
        public void close() {
            server.close();
            boolean written = RawMetrics.stop(Duration.ofSeconds(5));
            RawMetrics.Stats stats = RawMetrics.stats();
            out.println("Stopped. Requests served: " + server.served() + "; points written: " + stats.delivered()
                    + ", dropped: " + stats.dropped()
                    + (stats.aggregated() > 0 ? "; requests aggregated: " + stats.aggregated()
                            + ", in aggregates written: " + stats.aggregatedDelivered() : "")
                    + (written ? "" : "; InfluxDB did not take the last ones within 5 s"));
            out.flush();
            influx.close();
        }
    }
}
