package io.rawmetrics.dashboard;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rawmetrics.RawMetricsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Raw Requests and Request Metrics dashboards in a browser, without Grafana: a page served
 * from this jar (charts by ECharts, also served from the jar, so it works offline) that reads
 * the rawmetrics database through InfluxQL every few seconds. Read-only, and on the loopback
 * interface unless told otherwise.
 *
 * <pre>
 * java -Drawmetrics.influxdb.database=wsgi -jar metrics-dashboard/target/metrics-dashboard.jar [--port 3000] [--host 127.0.0.1]
 * </pre>
 *
 * <p>Paths: {@code /} the page; {@code /api/dashboards/<uid>?range=5&function=&process=&tag=&tagValue=&groupBy=} a
 * dashboard's panels and series as JSON; {@code /api/tags/<key>?dashboard=<uid>} the values of the
 * {@code function} or {@code process} tag, or of one of the user's, for the page's selectors;
 * {@code /api/tag-keys} the user's tags of raw points (constant and {@code @Tag} ones), which the
 * Raw Requests page filters and groups by; {@code /api/slowest?range=5&function=&process=&tag=&tagValue=}
 * the slowest calls of the range, with their trace ids ({@link SlowestCalls}).
 */
public final class DashboardServer implements AutoCloseable {

    static final String USAGE = "usage: java -jar metrics-dashboard.jar [--port 3000] [--host 127.0.0.1]"
            + " (InfluxDB from -Drawmetrics.influxdb.url, .database, .username, .password, as for the library)";
    private static final Map<String, String> STATIC = Map.of(
            "/", "web/index.html",
            "/app.js", "web/app.js",
            "/app.css", "web/app.css");
    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private final DashboardSettings settings;
    private final InfluxReader influx;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, GrafanaDashboard> dashboards = new LinkedHashMap<>();
    private final JsonAdapter<Object> json = new Moshi.Builder().build().adapter(Object.class).serializeNulls();

    private DashboardServer(DashboardSettings settings) throws IOException {
        this.settings = settings;
        for (String uid : GrafanaDashboard.UIDS) {
            dashboards.put(uid, GrafanaDashboard.load(uid));
        }
        this.influx = new InfluxReader(settings.influx());
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 50);
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving the dashboards of the database {@code influx} names.
     *
     * @param host the address to listen on: {@code 127.0.0.1} keeps the page on this machine
     * @param port the port, 0 for any free one
     */
    public static DashboardServer start(RawMetricsConfig influx, String host, int port) throws IOException {
        return new DashboardServer(new DashboardSettings(influx, host, port));
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address. */
    public URI url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        influx.close();
    }

    public static void main(String[] args) throws Exception {
        String host = DashboardSettings.DEFAULT_HOST;
        int port = DashboardSettings.DEFAULT_PORT;
        RawMetricsConfig config;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = port(value(args, ++i));
                    case "--host" -> host = value(args, ++i);
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            config = RawMetricsConfig.fromEnvironment();
        } catch (IllegalArgumentException e) { // InvalidConfigurationException included
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DashboardServer dashboard = start(config, host, port);
        System.out.println("rawmetrics dashboard: " + dashboard.url() + " (database " + config.database() + " at "
                + config.url() + "); stop with Ctrl-C");
        Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close, "dashboard-shutdown"));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port '" + text + "' must be a whole number from 0 to 65535");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
            try {
                if (STATIC.containsKey(path)) {
                    String resource = STATIC.get(path);
                    send(exchange, 200, contentType(resource), resource(resource));
                } else if (path.equals("/echarts.min.js")) {
                    send(exchange, 200, "text/javascript; charset=utf-8", resource(ECHARTS));
                } else if (path.equals("/api/dashboards")) {
                    List<Object> list = new ArrayList<>();
                    dashboards.values().forEach(d -> list.add(Map.of("uid", d.uid(), "title", d.title())));
                    sendJson(exchange, 200, list);
                } else if (path.startsWith("/api/dashboards/")) {
                    GrafanaDashboard dashboard = dashboard(path.substring("/api/dashboards/".length()));
                    int minutes = minutes(query.getOrDefault("range", "5"));
                    PanelQueries.TagChoice tag = new PanelQueries.TagChoice(blankToNull(query.get("tag")),
                            blankToNull(query.get("tagValue")), "true".equals(query.get("groupBy")));
                    sendJson(exchange, 200, DashboardData.read(influx, settings, dashboard, minutes,
                            blankToNull(query.get("function")), blankToNull(query.get("process")), tag));
                } else if (path.equals("/api/slowest")) {
                    PanelQueries.TagChoice tag = new PanelQueries.TagChoice(blankToNull(query.get("tag")),
                            blankToNull(query.get("tagValue")), false);
                    sendJson(exchange, 200, SlowestCalls.read(influx, minutes(query.getOrDefault("range", "5")),
                            blankToNull(query.get("function")), blankToNull(query.get("process")), tag));
                } else if (path.equals("/api/tag-keys")) {
                    // The user's tags of raw points (constant and @Tag ones): what the page can filter and group by.
                    Map<String, Object> keys = new HashMap<>();
                    try {
                        keys.put("keys", influx.tagKeys("raw-requests").stream()
                                .filter(k -> !PanelQueries.LIBRARY_TAGS.contains(k)).toList());
                        keys.put("error", null);
                    } catch (InfluxReader.ReadException e) {
                        keys.put("keys", List.of());
                        keys.put("error", e.getMessage());
                    }
                    sendJson(exchange, 200, keys);
                } else if (path.startsWith("/api/tags/")) {
                    String key = path.substring("/api/tags/".length());
                    if (PanelQueries.LIBRARY_TAGS.contains(key) && !key.equals("function") && !key.equals("process")) {
                        throw new IllegalArgumentException("tag '" + key + "' is not one the page selects by");
                    }
                    GrafanaDashboard dashboard = dashboard(query.getOrDefault("dashboard", "raw-requests"));
                    String measurement = dashboard.uid().equals("raw-requests") ? "raw-requests" : "request-metrics";
                    Map<String, Object> tags = new HashMap<>();
                    try {
                        tags.put("values", influx.tagValues(measurement, key));
                        tags.put("error", null);
                    } catch (InfluxReader.ReadException e) {
                        tags.put("values", List.of());
                        tags.put("error", e.getMessage());
                    }
                    sendJson(exchange, 200, tags);
                } else {
                    send(exchange, 404, "text/plain; charset=utf-8", ("no page " + path + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException bad) {
                sendJson(exchange, 400, Map.of("error", bad.getMessage()));
            }
        }
    }

    private GrafanaDashboard dashboard(String uid) {
        GrafanaDashboard dashboard = dashboards.get(uid);
        if (dashboard == null) {
            throw new IllegalArgumentException("no dashboard '" + uid + "'; there are " + dashboards.keySet());
        }
        return dashboard;
    }

    private static int minutes(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("range '" + text + "' must be one of " + PanelQueries.RANGES + " (minutes)");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.put(key, value);
        }
        return parameters;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) { // relative to this package, or absolute
            if (in == null) {
                throw new IOException(name + " is not packaged");
            }
            return in.readAllBytes();
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }

    private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", json.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
