package com.example;

import io.rawmetrics.FunctionCall;
import lombok.Getter;

/** A Lombok class with a timed method: javac (with Lombok) compiles, ajc then weaves. */
@Getter
public class Item {

    private final String name;

    public Item(String name) {
        this.name = name;
    }

    @FunctionCall
    public String label() {
        return "item " + getName();
    }

    /** Labels as many items as the first argument says (default 100), then exits. */
    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String last = null;
        for (int i = 0; i < calls; i++) {
            last = new Item("#" + i).label();
        }
        System.out.println(last);
    }
}
