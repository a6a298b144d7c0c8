package io.rawmetrics.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rawmetrics.RawMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** This module's test classes are compiled without {@code -parameters}, as ajc compiles a class not given the flag. */
class ParameterNamesCheckTest {

    @RestController
    static class BindsByName {
        public String hello(@RequestParam String name) {
            return name;
        }

        public String order(@PathVariable long id) {
            return String.valueOf(id);
        }
    }

    @RestController
    static class NamesWhatItBinds {
        public String order(@PathVariable("id") long id, @RequestParam(name = "express") boolean express) {
            return id + " " + express;
        }
    }

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RawMetricsAutoConfiguration.class))
            .withPropertyValues("rawmetrics.enabled=false");

    @AfterEach
    void stop() {
        RawMetrics.stop(Duration.ofSeconds(1));
    }

    @Test
    void warnsAtStartAboutAControllerBindingByParameterNamesItsClassFileLacks() throws Exception {
        assertFalse(BindsByName.class.getMethod("hello", String.class).getParameters()[0].isNamePresent(),
                "this test needs a class compiled without -parameters");
        try (LogLines log = new LogLines()) {
            contexts.withBean(BindsByName.class).withBean(NamesWhatItBinds.class).run(context -> {
                List<String> warnings = log.lines().stream().filter(line -> line.startsWith("WARN")).toList();
                assertEquals(List.of("WARN rawmetrics: " + BindsByName.class.getName() + " was compiled without"
                        + " -parameters, and hello, order bind request values by their parameters' names: Spring answers"
                        + " those requests with 500. If ajc compiles it (aspectj-maven-plugin), give ajc the flags javac"
                        + " gets: <parameters>true</parameters> in the plugin's configuration (docs/spring-boot.md)"),
                        warnings);
            });
        }
    }

    @Test
    void aMethodThatNamesWhatItBindsNeedsNoParameterNames() {
        assertEquals(java.util.Set.of(), ParameterNamesCheck.boundByMissingNames(NamesWhatItBinds.class));
    }
}
