package io.rawmetrics.internal.delivery;

/** What became of bytes given to {@link RetryingSender#send}: settled one way or another, or waiting for a retry. */
public final class Sent {

    /** The server took them. */
    public static final Sent TAKEN = new Sent(null);
    /** A stop's deadline passed before the server took them. */
    public static final Sent GAVE_UP = new Sent(null);
    /** The server is unavailable and the writer asked for them back, to put them aside in the spool. */
    public static final Sent PUT_ASIDE = new Sent(null);
    /** The server is unavailable: keep them and send them again once the retry is due ({@link RetryingSender#nanosUntilRetry}). */
    public static final Sent RETRY_LATER = new Sent(null);

    private final LineSender.WriteException answer;

    private Sent(LineSender.WriteException answer) {
        this.answer = answer;
    }

    /** The server refused the request, found it too large, or some of its points bad: never sent again. */
    static Sent answered(LineSender.WriteException answer) {
        return new Sent(answer);
    }

    /** The server's answer, if it {@link #answered}; else {@code null}. */
    public LineSender.WriteException answer() {
        return answer;
    }
}
