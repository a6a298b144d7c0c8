package com.example;

import com.example.web.OrderHandler;
import io.rawmetrics.FunctionCall;

/** The README's example: a timed method, called from main. */
public class Shop {

    @FunctionCall
    public String checkout(String item) {
        return "sold " + item;
    }

    /**
     * Calls {@code checkout} as often as the first argument says (default 1000), and the order
     * handler (timed by a pointcut, docs/getting-started.md) as often, then exits.
     */
    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Shop shop = new Shop();
        OrderHandler orders = new OrderHandler();
        String last = null;
        for (int i = 0; i < calls; i++) {
            last = shop.checkout("book " + i);
            orders.handle("order " + i);
        }
        System.out.println(last);
    }
}
