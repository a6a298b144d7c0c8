package com.example.quotes;

import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Returns the service's Monos (and its Flux, joined) to WebFlux, which subscribes to them. */
@RestController
public class QuoteController {

    private final QuoteService quotes;

    public QuoteController(QuoteService quotes) {
        this.quotes = quotes;
    }

    @GetMapping("/price/{symbol}")
    public Mono<String> price(@PathVariable("symbol") String symbol) {
        return quotes.price(symbol);
    }

    @GetMapping("/delisted/{symbol}")
    public Mono<String> delisted(@PathVariable("symbol") String symbol) {
        return quotes.delisted(symbol);
    }

    /** The service's Flux, joined into one body: the call is timed until the Flux completes. */
    @GetMapping("/ticks/{symbol}")
    public Mono<String> ticks(@PathVariable("symbol") String symbol) {
        return quotes.ticks(symbol).collect(Collectors.joining());
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.GONE)
    public String gone(IllegalStateException e) {
        return e.getMessage();
    }
}
