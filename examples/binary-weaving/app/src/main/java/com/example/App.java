package com.example;

import com.legacy.Inventory;

/** Calls the woven legacy code as often as the first argument says (default 100), then exits. */
public class App {

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Inventory inventory = new Inventory();
        int reserved = 0;
        for (int i = 0; i < calls; i++) {
            if (inventory.reserve("item " + i)) {
                reserved++;
            }
        }
        System.out.println("reserved " + reserved);
    }
}
