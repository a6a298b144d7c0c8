package com.legacy;

/** Third-party code: no annotation, no knowledge of any metrics. */
public class Inventory {

    public boolean reserve(String item) {
        return !item.isEmpty();
    }
}
