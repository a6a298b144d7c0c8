package io.rawmetrics.spring.boot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A real SpringApplication start: Spring Boot finds the starter's FailureAnalyzer through META-INF/spring.factories. */
@ExtendWith(OutputCaptureExtension.class)
class FailureReportTest {

    @Configuration
    @ImportAutoConfiguration(RawMetricsAutoConfiguration.class)
    static class App {
    }

    @Test
    void aBadValueStopsTheStartWithSpringBootsReportNamingTheKeyTheValueAndTheFix(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThrows(BeanCreationException.class, () -> application.run("--rawmetrics.mode=fast",
                "--rawmetrics.influxdb.url=http://127.0.0.1:9", "--spring.main.banner-mode=off"));

        String report = output.toString();
        assertTrue(report.contains("APPLICATION FAILED TO START"), report);
        assertTrue(report.contains("rawmetrics cannot use its configuration:"), report);
        assertTrue(report.contains("    rawmetrics.mode: 'fast'"), report);
        assertTrue(report.contains("Correct rawmetrics.mode where the application's configuration sets it"), report);
    }
}
