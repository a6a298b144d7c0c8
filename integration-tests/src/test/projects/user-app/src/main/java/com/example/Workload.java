package com.example;

import io.rawmetrics.FunctionCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A small program that ends: 4 threads call 5 timed methods, then {@code main} returns (or, with
 * {@code exit}, calls {@code System.exit(0)}) while their points are still buffered.
 *
 * <p>Arguments: calls per method and thread (default 1000), then {@code return}, {@code exit}, or
 * {@code late}: return, with a shutdown hook of the program's own that makes one more call a
 * second later, as a server finishing a request in its own graceful shutdown would.
 */
public class Workload {

    @FunctionCall
    public int parse(int i) {
        return i + 1;
    }

    @FunctionCall
    public int validate(int i) {
        return i * 2;
    }

    @FunctionCall
    public int price(int i) {
        return i - 3;
    }

    @FunctionCall
    public int store(int i) {
        return i ^ 5;
    }

    @FunctionCall
    public int reply(int i) {
        return i % 7;
    }

    /** Each of the five methods, once. */
    public long callEach(int i) {
        return (long) parse(i) + validate(i) + price(i) + store(i) + reply(i);
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String ending = args.length > 1 ? args[1] : "return";
        Workload workload = new Workload();
        if (ending.equals("late")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                workload.parse(-2);
            }));
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < calls; i++) {
                    workload.callEach(i);
                }
            }, "worker-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        workload.callEach(-1); // and once from main
        System.out.println("main ends at " + System.currentTimeMillis() + " after " + (4 * calls + 1) + " calls of each method");
        if (ending.equals("exit")) {
            System.exit(0);
        }
    }
}
