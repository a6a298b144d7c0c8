package com.example.shop;

import io.rawmetrics.FunctionCall;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Every request becomes one point in InfluxDB, timed by ajc-woven advice. */
@RestController
public class GreetingController {

    @GetMapping("/hello")
    @FunctionCall
    public String hello() {
        return "Hello World!";
    }

    /** Takes {@code ms} milliseconds: a request still in flight when the application is told to stop. */
    @GetMapping("/slow")
    @FunctionCall
    public String slow(@RequestParam("ms") long ms) throws InterruptedException {
        System.out.println("slow request started");
        TimeUnit.MILLISECONDS.sleep(ms);
        return "Slow Hello World!";
    }
}
