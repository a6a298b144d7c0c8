package com.example.modular;

import io.rawmetrics.FunctionCall;

/** A timed method in a named module, called as often as the first argument says. */
public class App {

    @FunctionCall
    public String greet(int i) {
        return "hello " + i;
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        App app = new App();
        String last = null;
        for (int i = 0; i < calls; i++) {
            last = app.greet(i);
        }
        System.out.println(last + " from module " + App.class.getModule().getName());
    }
}
