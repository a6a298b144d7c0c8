package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaultsAreThoseOfModWsgiExpress() {
        DemoOptions o = DemoOptions.parse(List.of());
        assertEquals("serve", o.command());
        assertEquals("wsgi-1", o.application());
        assertEquals(8000, o.port());
        assertEquals(5, o.threads());
        assertFalse(o.logToTerminal());
    }

    @Test
    void theIssuesCommandLineIsUnderstood() {
        DemoOptions o = DemoOptions.parse(List.of("wsgi-2", "--port", "8000", "--threads", "5", "--log-to-terminal"));
        assertEquals("wsgi-2", o.application());
        assertEquals(8000, o.port());
        assertEquals(5, o.threads());
        assertTrue(o.logToTerminal());
    }

    @Test
    void reportTakesTheWindowInSeconds() {
        DemoOptions o = DemoOptions.parse(List.of("report", "--last", "120"));
        assertEquals("report", o.command());
        assertEquals(120, o.lastSeconds());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("unknown application 'wsgi-3'; choose one of [wsgi-1, wsgi-2, wsgi-2-trap], 'report' or 'dashboard'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("wsgi-3"))).getMessage());
        assertEquals("--port 'http' must be a whole number from 0 to 65535",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("--port", "http"))).getMessage());
        assertEquals("--threads needs a value",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("--threads"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("report", "--port", "1")))
                .getMessage().startsWith("unknown option '--port' for report"));
        assertEquals("--metrics 'some' must be one of [raw, aggregated, both]",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("--metrics", "some"))).getMessage());
        assertEquals("--metrics 'both' must be one of [raw, aggregated]", assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse(List.of("report", "--metrics", "both"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(List.of("dashboard", "--threads", "2")))
                .getMessage().startsWith("unknown option '--threads' for dashboard"));
        assertEquals("--tag-path tags wsgi-1's requests by path; wsgi-2 has no tag", assertThrows(
                IllegalArgumentException.class, () -> DemoOptions.parse(List.of("wsgi-2", "--tag-path"))).getMessage());
    }

    @Test
    void tagPathServesWsgi1TaggedByPath() {
        assertTrue(DemoOptions.parse(List.of("--tag-path")).newApplication() instanceof HelloWorld1ByPath);
        assertTrue(DemoOptions.parse(List.of("wsgi-1")).newApplication() instanceof HelloWorld1);
    }

    @Test
    void metricsChoosesTheModeAndOtherwiseTheSettingsDo() {
        RawMetricsConfig fromSettings = RawMetricsConfig.builder().mode(RawMetricsConfig.Mode.BOTH).build();
        assertEquals(RawMetricsConfig.Mode.BOTH, DemoOptions.parse(List.of()).withMetrics(fromSettings).mode());
        DemoOptions aggregated = DemoOptions.parse(List.of("wsgi-2", "--metrics", "aggregated"));
        assertEquals(RawMetricsConfig.Mode.AGGREGATED, aggregated.withMetrics(fromSettings).mode());
        assertEquals(RawMetricsConfig.Mode.AGGREGATED,
                DemoOptions.parse(List.of("report", "--metrics", "aggregated")).withMetrics(RawMetricsConfig.defaults()).mode());
    }

    @Test
    void theDashboardListensOnGrafanasPortUnlessTold() {
        DemoOptions o = DemoOptions.parse(List.of("dashboard"));
        assertEquals("dashboard", o.command());
        assertEquals(3000, o.port());
        assertEquals("localhost", o.host());
        assertEquals(3001, DemoOptions.parse(List.of("dashboard", "--port", "3001")).port());
    }
}
