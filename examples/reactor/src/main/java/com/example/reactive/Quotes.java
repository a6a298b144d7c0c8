package com.example.reactive;

import io.rawmetrics.FunctionCall;
import io.reactivex.rxjava3.core.Single;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A service whose methods return before their work is done: it runs when they are subscribed to. */
public class Quotes {

    /** About 50 ms, on Reactor's timer thread. */
    @FunctionCall
    public Mono<Double> price(String symbol) {
        return Mono.delay(Duration.ofMillis(50)).map(tick -> 100.0 + symbol.length());
    }

    /** Fails after about 30 ms. */
    @FunctionCall
    public Mono<Double> delisted(String symbol) {
        return Mono.delay(Duration.ofMillis(30)).flatMap(tick -> Mono.error(new IllegalStateException(symbol + " is delisted")));
    }

    /** A tick every 20 ms, for ever: its subscriber takes what it needs and cancels. */
    @FunctionCall
    public Flux<Long> ticks() {
        return Flux.interval(Duration.ofMillis(20));
    }

    /** RxJava: about 40 ms. */
    @FunctionCall
    public Single<String> currency(String symbol) {
        return Single.timer(40, TimeUnit.MILLISECONDS).map(tick -> "USD");
    }

    /**
     * A stream's work runs when it is consumed, after the method returned: the build warns that
     * it is timed only until it returns.
     */
    @FunctionCall
    public Stream<String> symbols() {
        return Stream.of("ACME", "INITECH").map(String::toLowerCase);
    }
}
