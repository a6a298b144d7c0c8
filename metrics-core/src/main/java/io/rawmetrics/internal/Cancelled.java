package io.rawmetrics.internal;

/**
 * Never made: its class stands, where a call's exception class goes, for the outcome
 * {@code cancelled}: a lazy result (a Reactor {@code Mono}, a Reactive Streams publisher) whose
 * subscriber cancelled before it completed or failed. Written with {@code outcome=cancelled} and no
 * {@code exception} tag.
 */
public final class Cancelled {

    private Cancelled() {
    }
}
