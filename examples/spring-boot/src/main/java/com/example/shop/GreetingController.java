package com.example.shop;

import io.rawmetrics.FunctionCall;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Every request becomes one point in InfluxDB, timed by ajc-woven advice. */
@RestController
public class GreetingController {

    /**
     * {@code name} is bound by the parameter's name: ajc must be given {@code -parameters}, as javac
     * is. Timed through a composed annotation of the application's own, {@link WebRequest}.
     */
    @GetMapping("/hello")
    @WebRequest
    public String hello(@RequestParam(defaultValue = "World") String name) {
        return "Hello " + name + "!";
    }

    /** Fails: Spring answers 500, and the point's outcome is {@code error}. */
    @GetMapping("/orders/{id}")
    @FunctionCall
    public String order(@PathVariable long id) {
        throw new IllegalStateException("order " + id + " is not in the shop");
    }

    /** Finishes on another thread: timed until the future completes, not until it is returned. */
    @GetMapping("/later")
    @FunctionCall
    public CompletableFuture<String> later() {
        return CompletableFuture.supplyAsync(() -> "Later!", CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }

    /** Takes {@code ms} milliseconds: a request still in flight when the application is told to stop. */
    @GetMapping("/slow")
    @FunctionCall
    public String slow(@RequestParam long ms) throws InterruptedException {
        System.out.println("slow request started");
        TimeUnit.MILLISECONDS.sleep(ms);
        return "Slow Hello World!";
    }
}
