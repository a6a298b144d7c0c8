package com.example.web;

/** Not annotated: timed by the pointcut in src/main/aspect/com/example/TimeHandlers.aj. */
public class OrderHandler {

    public String handle(String order) {
        return "handled " + order;
    }
}
