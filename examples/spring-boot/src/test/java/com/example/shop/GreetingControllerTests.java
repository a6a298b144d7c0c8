package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.rawmetrics.RawMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A test of the application: its timed calls are written like the application's, to the test database. */
@SpringBootTest
class GreetingControllerTests {

    @Autowired
    GreetingController greetings;

    @Test
    void greetsByName() {
        for (int i = 0; i < 100; i++) {
            assertThat(greetings.hello("test " + i)).isEqualTo("Hello test " + i + "!");
        }
        assertThat(RawMetrics.stats().recorded()).isGreaterThanOrEqualTo(100);
    }
}
