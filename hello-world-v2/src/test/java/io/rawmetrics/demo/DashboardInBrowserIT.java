package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.dashboard.DashboardServer;
import io.rawmetrics.influxd.InfluxdProcess;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

/**
 * The built-in dashboard in a real browser (Debian's headless Chromium, driven by Selenium
 * through Debian's chromedriver) while the demo serves traffic with {@code --metrics both}: each
 * page draws every panel with data, with no script error; the empty and the error states show
 * their message. Screenshots of the pages go to target/screenshots (the docs' come from such a run).
 */
class DashboardInBrowserIT {

    private static InfluxdProcess influxd;
    private static HelloWorldV2.Running demo;
    private static DashboardServer dashboard;
    private static ChromeDriver browser;
    private static Thread traffic;
    private static final AtomicBoolean stopTraffic = new AtomicBoolean();
    private static final java.util.concurrent.atomic.AtomicInteger trafficFailures = new java.util.concurrent.atomic.AtomicInteger();
    private static RawMetricsConfig config;

    @BeforeAll
    static void start(@TempDir Path scratch) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        assertTrue(Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
                "the dashboard is tested in Debian's headless Chromium: apt-get install -y chromium chromium-driver"
                        + " (.ci/run does it)");
        influxd = InfluxdProcess.startTemporary();
        config = HelloWorldV2.WORKSHOP_DEFAULTS.toBuilder().spoolDirectory(null).url(influxd.url().toString()).build();
        demo = HelloWorldV2.serve(DemoOptions.parse(List.of("wsgi-1", "--port", "0", "--metrics", "both", "--tag-path")), config,
                scratch.resolve("unused"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        URI site = URI.create("http://localhost:" + demo.port() + "/");
        traffic = new Thread(() -> {
            while (!stopTraffic.get()) {
                try {
                    DemoTraffic.send(site, 50, 5);
                    DemoTraffic.send(site.resolve("/orders"), 20, 5); // a second value of the path tag
                } catch (Exception e) {
                    // Only the load for the charts: a connection the server closed under a keep-alive
                    // client is not what this test is about. The requests that did land are drawn.
                    trafficFailures.incrementAndGet();
                }
            }
        }, "traffic");
        traffic.start();
        dashboard = DashboardServer.start(config, "127.0.0.1", 0);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1600,1000", "--user-data-dir=" + scratch.resolve("chromium"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        stopTraffic.set(true);
        if (traffic != null) {
            traffic.join();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (influxd != null) {
            influxd.close();
        }
    }

    /** Opens a page and waits until it has drawn {@code state} (data arrives once a second). */
    private static void open(URI page, String state) {
        browser.get(page.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String now = browser.findElement(By.tagName("body")).getAttribute("data-state");
            boolean everyPanelDrawn = !"ready".equals(state) || browser.findElements(By.cssSelector("section.panel")).stream()
                    .allMatch(p -> "note".equals(p.getAttribute("data-state")) || Long.parseLong(p.getAttribute("data-points")) > 0);
            if (state.equals(now) && everyPanelDrawn) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page at " + page + " did not show " + state + " within 60 s: it shows "
                        + now + ", panels " + panels() + ", message '" + browser.findElement(By.id("message")).getText() + "'");
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos()); // poll again, until the deadline
        }
    }

    private static List<String> panels() {
        List<String> panels = new ArrayList<>();
        for (WebElement panel : browser.findElements(By.cssSelector("section.panel"))) {
            panels.add(panel.getAttribute("data-title") + "=" + panel.getAttribute("data-points"));
        }
        return panels;
    }

    /** No script error in the page's console or caught by the page itself. */
    private static void assertNoScriptErrors() {
        List<String> severe = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(entry.getMessage());
            }
        }
        assertEquals(List.of(), severe, "console errors");
        assertEquals(List.of(), ((JavascriptExecutor) browser).executeScript("return window.dashboardErrors"));
    }

    /** To target/screenshots, or where {@code -Ddashboard.screenshots=DIR} says (docs/images was made so). */
    private static void screenshot(String name) throws Exception {
        Path directory = Path.of(System.getProperty("dashboard.screenshots", Path.of("target", "screenshots").toString()));
        Files.createDirectories(directory);
        Files.write(directory.resolve("dashboard-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void rawRequestsDrawsEveryPanelWithTheDemosRequests() throws Exception {
        open(dashboard.url().resolve("/#raw-requests"), "ready");
        assertEquals(List.of("Throughput", "Throughput (requests/sec)", "Response Time", "Response Time (mean)"),
                browser.findElements(By.cssSelector("section.panel")).stream().map(p -> p.getAttribute("data-title")).toList());
        assertTrue(!browser.findElement(By.id("message")).isDisplayed(), "no empty state while data exists");
        awaitTrue("the table of the ten slowest calls", () -> browser.findElement(By.id("slowest")).isDisplayed()
                && "10".equals(browser.findElement(By.id("slowest")).getAttribute("data-rows")));
        assertNoScriptErrors();
        screenshot("raw-requests");

        new Select(browser.findElement(By.id("function"))).selectByValue("io.rawmetrics.demo.HelloWorld1ByPath.application");
        open(dashboard.url().resolve("/#raw-requests"), "ready");
        assertNoScriptErrors();
    }

    @Test
    void rawRequestsFiltersAndGroupsByTheDemosPathTag() throws Exception {
        open(dashboard.url().resolve("/#raw-requests"), "ready");
        assertTrue(browser.findElement(By.id("tag-picker")).isDisplayed(), "the page offers the demo's tag");
        new Select(browser.findElement(By.id("tag"))).selectByValue("path");
        awaitTrue("the values of path", () -> new Select(browser.findElement(By.id("tag-value"))).getOptions().size() >= 3);
        browser.findElement(By.id("group-by")).click();
        awaitTrue("a series per path in Throughput", () -> legend("Throughput").containsAll(
                List.of("requests/sec path=/", "requests/sec path=/orders")));

        new Select(browser.findElement(By.id("tag-value"))).selectByValue("/orders");
        awaitTrue("only /orders in Throughput", () -> legend("Throughput").equals(List.of("requests/sec path=/orders")));
        assertNoScriptErrors();
        screenshot("raw-requests-by-path");
        new Select(browser.findElement(By.id("tag"))).selectByValue(""); // as the other tests expect the page
        awaitTrue("no tag chosen", () -> !browser.findElement(By.id("group-by")).isSelected());
    }

    /** The series names a chart's legend shows. */
    @SuppressWarnings("unchecked")
    private static List<String> legend(String title) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "const panel = [...document.querySelectorAll('section.panel')].find(p => p.dataset.title === arguments[0]);"
                + "const chart = echarts.getInstanceByDom(panel.querySelector('.chart'));"
                + "return chart.getOption().series.map(s => s.name);", title);
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 30 s: legend " + legend("Throughput"));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos()); // poll again
        }
    }

    @Test
    void requestMetricsDrawsEveryPanelButTheDaemonsWithTheDemosAggregates() throws Exception {
        open(dashboard.url().resolve("/#request-metrics"), "ready");
        List<String> titles = browser.findElements(By.cssSelector("section.panel")).stream()
                .map(p -> p.getAttribute("data-title")).toList();
        assertEquals(List.of("Throughput", "Response Time", "Capacity Utilization", "Throughput", "Memory Usage",
                "CPU Utilization", "Thread Activity", "Request Threads", "Application Time", "Daemon Time", "Queue Time",
                "Server Time"), titles);
        WebElement daemon = browser.findElement(By.cssSelector("section.panel[data-title='Daemon Time']"));
        assertEquals("note", daemon.getAttribute("data-state"));
        assertTrue(daemon.getText().contains("no Java counterpart"), "the panel says why it is empty: " + daemon.getText());
        assertTrue(!browser.findElement(By.id("message")).isDisplayed(), "no empty state while data exists");
        assertNoScriptErrors();
        screenshot("request-metrics");
    }

    /**
     * The text every chart of a panel drew, with where it is, relative to the panel's chart: the SVG
     * renderer draws axis labels and a gauge's value as text.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> textsOf(String title, int index) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript(
                "const panel = [...document.querySelectorAll('section.panel')].filter(p => p.dataset.title === arguments[0])[arguments[1]];"
                + "const chart = panel.querySelector('.chart').getBoundingClientRect();"
                + "return [...panel.querySelectorAll('.chart svg text')].filter(t => t.textContent.trim() !== '').map(t => {"
                + "  const r = t.getBoundingClientRect();"
                + "  return { text: t.textContent, left: r.left - chart.left, right: chart.right - r.right,"
                + "           x1: r.left, x2: r.right, y1: r.top, y2: r.bottom }; });", title, index);
    }

    private static List<String> texts(List<Map<String, Object>> drawn) {
        return drawn.stream().map(t -> (String) t.get("text")).toList();
    }

    private static boolean overlap(Map<String, Object> a, Map<String, Object> b) {
        return num(a, "x1") < num(b, "x2") && num(b, "x1") < num(a, "x2") && num(a, "y1") < num(b, "y2") && num(b, "y1") < num(a, "y2");
    }

    private static double num(Map<String, Object> text, String key) {
        return ((Number) text.get(key)).doubleValue();
    }

    /**
     * What the charts state, read from the page at 1400 × 1000 under the demo's load: a rate as
     * req/s, never in scientific notation, never as a duration; small times in ns or µs, not as
     * thousandths of a millisecond; no axis label cut off at the panel's edge; a gauge's scale labels
     * clear of each other and of its value; one time format on every chart, over the whole range;
     * the header on one line.
     */
    @Test
    void theChartsStateTheirValuesInTheirUnitsAndNothingIsCutOrOverlaps() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        try {
            open(dashboard.url().resolve("/#raw-requests"), "ready");
            java.util.regex.Pattern rate = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)? req/s");
            java.util.regex.Pattern time = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)? (ns|µs|ms|s)");
            java.util.regex.Pattern clock = java.util.regex.Pattern.compile("[0-2][0-9]:[0-5][0-9]:[0-5][0-9]");

            List<Map<String, Object>> gauge = textsOf("Throughput (requests/sec)", 0);
            List<String> gaugeTexts = texts(gauge);
            assertTrue(gaugeTexts.stream().anyMatch(t -> rate.matcher(t).matches()), "a rate in req/s: " + gaugeTexts);
            assertTrue(gaugeTexts.stream().noneMatch(t -> t.contains("e+") || t.contains("e-") || t.endsWith(" s")), gaugeTexts.toString());
            assertNoOverlap(gauge);

            List<Map<String, Object>> throughput = textsOf("Throughput", 0);
            List<String> rateLabels = texts(throughput).stream().filter(t -> t.endsWith(" req/s")).toList();
            assertTrue(rateLabels.size() >= 2, "the y axis is labelled in req/s: " + texts(throughput));
            assertTrue(rateLabels.stream().allMatch(t -> rate.matcher(t).matches()), rateLabels.toString());
            assertTrue(texts(throughput).stream().filter(t -> t.contains(":")).allMatch(t -> clock.matcher(t).matches()),
                    "the time axis as HH:MM:SS: " + texts(throughput));
            for (String panel : List.of("Throughput", "Response Time")) {
                for (Map<String, Object> label : textsOf(panel, 0)) {
                    assertTrue(num(label, "left") >= 0 && num(label, "right") >= 0, panel + ": a label cut off: " + label);
                }
            }

            List<Map<String, Object>> mean = textsOf("Response Time (mean)", 0);
            assertTrue(texts(mean).stream().anyMatch(t -> time.matcher(t).matches()), "a time in its unit: " + texts(mean));
            assertTrue(texts(mean).stream().noneMatch(t -> t.startsWith("0.000")), "not thousandths of a unit: " + texts(mean));
            assertNoOverlap(mean);
            List<String> responseLabels = texts(textsOf("Response Time", 0)).stream().filter(t -> t.matches(".*[0-9] (ns|µs|ms|s)"))
                    .toList();
            assertTrue(responseLabels.stream().noneMatch(t -> t.startsWith("0.00")), "the axis in the unit it needs: " + responseLabels);

            Number headerHeight = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return document.querySelector('header').getBoundingClientRect().height");
            assertTrue(headerHeight.doubleValue() < 60, "the header on one line at 1400 px: " + headerHeight + " px");

            open(dashboard.url().resolve("/#request-metrics"), "ready");
            List<Map<String, Object>> requestGauge = textsOf("Throughput", 1);
            assertTrue(texts(requestGauge).stream().anyMatch(t -> rate.matcher(t).matches()), texts(requestGauge).toString());
            assertNoOverlap(requestGauge);
            List<String> heatmapLabels = texts(textsOf("Application Time", 0)).stream().filter(t -> t.contains(":")).toList();
            assertTrue(!heatmapLabels.isEmpty() && heatmapLabels.stream().allMatch(t -> clock.matcher(t).matches()),
                    "the heatmaps' times as the lines': " + heatmapLabels);
            Number columns = (Number) ((JavascriptExecutor) browser).executeScript(
                    "const panel = [...document.querySelectorAll('section.panel')].find(p => p.dataset.title === 'Application Time');"
                    + "return echarts.getInstanceByDom(panel.querySelector('.chart')).getOption().xAxis[0].data.length");
            assertEquals(301, columns.intValue(), "a column per second of the 5 minutes shown, data or not");
            assertNoScriptErrors();
            screenshot("labels-1400");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
        }
    }

    private static void assertNoOverlap(List<Map<String, Object>> drawn) {
        for (int i = 0; i < drawn.size(); i++) {
            for (int j = i + 1; j < drawn.size(); j++) {
                assertTrue(!overlap(drawn.get(i), drawn.get(j)), "drawn over each other: " + drawn.get(i).get("text")
                        + " and " + drawn.get(j).get("text") + " in " + texts(drawn));
            }
        }
    }

    /**
     * Points as an application traced by OpenTelemetry writes them (OpenTelemetryAgentIT makes such
     * points with the real agent): the table of slowest calls shows each one's trace id, whole,
     * slowest first, and a '-' for a call made outside any span.
     */
    @Test
    void theSlowestCallsShowTheTraceIdOfEachCallMadeInASpan() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(influxd.url().resolve("/query?q=CREATE+DATABASE+traced"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        long now = System.currentTimeMillis() * 1_000_000L;
        StringBuilder lines = new StringBuilder();
        List<String> slowestFirst = new ArrayList<>();
        for (int i = 11; i >= 0; i--) {
            String traceId = i % 2 == 0 ? String.format("%032x", 0xabc000 + i) : "";
            lines.append("raw-requests,function=Shop.checkout,hostname=h,outcome=ok,process=h:1 application_time=")
                    .append(0.010 * (i + 1)).append(traceId.isEmpty() ? ""
                            : ",span_id=\"" + String.format("%016x", i + 1) + "\",trace_id=\"" + traceId + "\"")
                    .append(' ').append(now - i * 1_000_000L).append('\n');
        }
        for (int i = 11; i >= 2; i--) {
            slowestFirst.add(i % 2 == 0 ? String.format("%032x", 0xabc000 + i) : "");
        }
        HttpResponse<String> written = http.send(HttpRequest.newBuilder(influxd.url().resolve("/write?db=traced"))
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, written.statusCode(), written.body());
        try (DashboardServer traced = DashboardServer.start(config.toBuilder().database("traced").build(), "127.0.0.1", 0)) {
            open(traced.url().resolve("/#raw-requests"), "ready");
            awaitTrue("the table of slowest calls", () -> "10".equals(browser.findElement(By.id("slowest")).getAttribute("data-rows")));
            List<WebElement> rows = browser.findElements(By.cssSelector("#slowest tbody tr"));
            assertEquals(slowestFirst, rows.stream().map(row -> row.getAttribute("data-trace-id")).toList());
            // Shown whole, to copy into a trace search: not cut to an ellipsis.
            WebElement traceCell = rows.get(1).findElements(By.tagName("td")).get(4);
            assertEquals(String.format("%032x", 0xabc000 + 10), traceCell.getText());
            assertEquals("-", rows.get(0).findElements(By.tagName("td")).get(4).getText());
            assertNoScriptErrors();
            screenshot("slowest-calls");
        }
    }

    @Test
    void anEmptyDatabaseAndAnUnreachableOneEachSaySoInsteadOfABlankPage() throws Exception {
        try (DashboardServer empty = DashboardServer.start(config.toBuilder().database("nothing_here").build(), "127.0.0.1", 0)) {
            open(empty.url().resolve("/#raw-requests"), "empty");
            assertTrue(browser.findElement(By.id("message")).getText().startsWith("no points in the last 5 minutes in measurement"
                    + " raw-requests, database nothing_here (which does not exist yet) at "), browser.findElement(By.id("message")).getText());
            assertNoScriptErrors();
        }
        int closed = InfluxdProcess.freePort();
        try (DashboardServer unreachable = DashboardServer.start(config.toBuilder().url("http://127.0.0.1:" + closed).build(),
                "127.0.0.1", 0)) {
            open(unreachable.url().resolve("/#request-metrics"), "error");
            assertTrue(browser.findElement(By.id("message")).getText()
                    .startsWith("cannot reach InfluxDB at http://127.0.0.1:" + closed + ": "));
            assertNoScriptErrors();
            screenshot("unreachable");
        }
    }
}
