package com.example.quotes;

import io.rawmetrics.FunctionCall;
import java.time.Duration;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reactive work: each method returns at once, and its Mono or Flux does the work when subscribed to. */
@Service
public class QuoteService {

    /** A price, after 50 ms on Reactor's timer. */
    @FunctionCall
    public Mono<String> price(String symbol) {
        return Mono.delay(Duration.ofMillis(50)).map(tick -> symbol + " 101.25");
    }

    /** Fails after 20 ms. */
    @FunctionCall
    public Mono<String> delisted(String symbol) {
        return Mono.delay(Duration.ofMillis(20)).flatMap(tick -> Mono.error(new IllegalStateException(symbol + " is delisted")));
    }

    /** Three ticks, 10 ms apart. */
    @FunctionCall
    public Flux<String> ticks(String symbol) {
        return Flux.interval(Duration.ofMillis(10)).take(3).map(i -> symbol + " tick " + i);
    }
}
