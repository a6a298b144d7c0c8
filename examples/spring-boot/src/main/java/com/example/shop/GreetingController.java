package com.example.shop;

import io.rawmetrics.FunctionCall;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Every request to {@code /hello} becomes one point in InfluxDB, timed by ajc-woven advice. */
@RestController
public class GreetingController {

    @GetMapping("/hello")
    @FunctionCall
    public String hello() {
        return "Hello World!";
    }
}
