package io.rawmetrics.demo;

import io.rawmetrics.RawMetricsConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The command line, shaped like {@code mod_wsgi-express start-server}:
 * {@code [wsgi-1|wsgi-2|wsgi-2-trap] [--port N] [--threads N] [--host H] [--log-to-terminal]
 * [--metrics raw|aggregated|both] [--tag-path]}, or {@code report [--last SECONDS] [--metrics raw|aggregated]}, or
 * {@code dashboard [--port 3000] [--host localhost]}.
 *
 * @param metrics what the timed calls become ({@code rawmetrics.mode}); {@code null} when not given
 * @param tagPath whether wsgi-1's requests are tagged by their path ({@link HelloWorld1ByPath})
 */
record DemoOptions(String command, String application, String host, int port, int threads,
                   boolean logToTerminal, int lastSeconds, RawMetricsConfig.Mode metrics, boolean tagPath) {

    static final Map<String, Supplier<Application>> APPLICATIONS = Map.of(
            "wsgi-1", HelloWorld1::new,
            "wsgi-2", HelloWorld2::new,
            "wsgi-2-trap", HelloWorld2Trap::new);

    static final String USAGE = """
            usage: serve an application (like mod_wsgi-express start-server):
                     [wsgi-1|wsgi-2|wsgi-2-trap] [--port 8000] [--threads 5] [--host localhost] [--log-to-terminal]
                     [--metrics raw|aggregated|both]   (raw: a point per request, the default; aggregated:
                                                       the workshop's request metrics, once a second)
                     [--tag-path]                      (wsgi-1 only: tag each request's point by its path)
                   print the Raw Requests panels (or, with --metrics aggregated, Request Metrics) as a table:
                     report [--last 60] [--metrics raw|aggregated]
                   serve the Raw Requests and Request Metrics dashboards on http://localhost:3000/:
                     dashboard [--port 3000] [--host localhost]
            InfluxDB is set with -Drawmetrics.* properties (default http://localhost:8086, database wsgi,
            user wsgi, password wsgi).""";

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message naming the bad argument. */
    static DemoOptions parse(List<String> args) {
        String command = "serve";
        String application = "wsgi-1";
        String host = "localhost";
        int port = 8000;
        int threads = 5;
        boolean log = false;
        int last = 60;
        RawMetricsConfig.Mode metrics = null;
        boolean tagPath = false;
        int i = 0;
        if (!args.isEmpty() && !args.get(0).startsWith("--")) {
            String first = args.get(0);
            if (first.equals("report")) {
                command = "report";
            } else if (first.equals("dashboard")) {
                command = "dashboard";
                port = 3000;
            } else if (APPLICATIONS.containsKey(first)) {
                application = first;
            } else {
                throw new IllegalArgumentException("unknown application '" + first + "'; choose one of "
                        + List.of("wsgi-1", "wsgi-2", "wsgi-2-trap") + ", 'report' or 'dashboard'");
            }
            i = 1;
        }
        Set<String> allowed = switch (command) {
            case "serve" -> Set.of("--port", "--threads", "--host", "--log-to-terminal", "--metrics", "--tag-path");
            case "dashboard" -> Set.of("--port", "--host");
            default -> Set.of("--last", "--metrics");
        };
        for (; i < args.size(); i++) {
            String option = args.get(i);
            if (!allowed.contains(option)) {
                throw new IllegalArgumentException("unknown option '" + option + "' for " + command
                        + "; the options are " + new java.util.TreeSet<>(allowed));
            }
            switch (option) {
                case "--port" -> port = number(option, value(args, ++i, option), 0, 65535);
                case "--threads" -> threads = number(option, value(args, ++i, option), 1, 1000);
                case "--host" -> host = value(args, ++i, option);
                case "--log-to-terminal" -> log = true;
                case "--tag-path" -> tagPath = true;
                case "--metrics" -> metrics = mode(value(args, ++i, option), command);
                default -> last = number(option, value(args, ++i, option), 1, 86_400);
            }
        }
        if (tagPath && !application.equals("wsgi-1")) {
            throw new IllegalArgumentException("--tag-path tags wsgi-1's requests by path; " + application + " has no tag");
        }
        return new DemoOptions(command, application, host, port, threads, log, last, metrics, tagPath);
    }

    /** The application to serve. */
    Application newApplication() {
        return tagPath ? new HelloWorld1ByPath() : APPLICATIONS.get(application).get();
    }

    /** {@code config} with the mode {@code --metrics} gives, if given; else as the settings say. */
    RawMetricsConfig withMetrics(RawMetricsConfig config) {
        return metrics == null ? config : config.toBuilder().mode(metrics).build();
    }

    private static RawMetricsConfig.Mode mode(String text, String command) {
        List<String> modes = command.equals("report") ? List.of("raw", "aggregated") : List.of("raw", "aggregated", "both");
        if (!modes.contains(text)) {
            throw new IllegalArgumentException("--metrics '" + text + "' must be one of " + modes);
        }
        return RawMetricsConfig.Mode.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(String option, String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = min - 1; // not a number: reported as out of range
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " '" + text + "' must be a whole number from " + min + " to " + max);
        }
        return n;
    }
}
