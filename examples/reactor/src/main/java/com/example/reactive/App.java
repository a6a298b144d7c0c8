package com.example.reactive;

import java.util.List;

/** Makes {@code args[0]} calls of each kind, waiting for each result, then ends. */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Quotes quotes = new Quotes();
        for (int i = 0; i < calls; i++) {
            quotes.price("ACME").block();
            try {
                quotes.delisted("OLD").block();
            } catch (IllegalStateException expected) {
                // timed as an error
            }
            List<Long> three = quotes.ticks().take(3).collectList().block();
            if (three == null || three.size() != 3) {
                throw new AssertionError(three);
            }
            quotes.currency("ACME").blockingGet();
            quotes.symbols().count();
        }
        System.out.println("made " + calls + " calls of each");
    }
}
