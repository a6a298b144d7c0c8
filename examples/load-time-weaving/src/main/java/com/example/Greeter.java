package com.example;

import io.rawmetrics.FunctionCall;

/** Compiled by plain javac; timed because the AspectJ agent weaves it when it loads. */
public class Greeter {

    private final Phrasebook phrasebook = new Phrasebook();

    @FunctionCall
    public String greet(String name) {
        return phrasebook.salutation() + " " + name + "!";
    }

    /** Greets as often as the first argument says (default 100), then exits. */
    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Greeter greeter = new Greeter();
        String last = null;
        for (int i = 0; i < calls; i++) {
            last = greeter.greet("#" + i);
        }
        System.out.println(last);
    }
}
