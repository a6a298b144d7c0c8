package io.rawmetrics.spring.boot.actuate;

import io.rawmetrics.RawMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health contributor says, in terms of no Spring version: both Boot 3's and Boot 4's
 * health indicators build their answer from it.
 */
final class WriteHealth {

    /** The health contributor's name (Boot 4 refuses a contributor named as a group). */
    static final String CONTRIBUTOR = "rawmetricsWriter";
    /** The health group that holds it, alone: {@code /actuator/health/rawmetrics}. */
    static final String GROUP = "rawmetrics";

    enum State { UP, DOWN, UNKNOWN }

    final State state;
    final Map<String, Object> details = new LinkedHashMap<>();

    private WriteHealth(State state) {
        this.state = state;
    }

    /** Now: DOWN while writes fail (unreachable, failing or refusing the login or database), with why. */
    static WriteHealth now() {
        RawMetrics.WriteStatus status = RawMetrics.writeStatus();
        if (!status.recording()) {
            WriteHealth health = new WriteHealth(State.UNKNOWN);
            health.details.put("recording", false);
            return health;
        }
        WriteHealth health = new WriteHealth(status.failing() ? State.DOWN : State.UP);
        health.details.put("server", status.server());
        health.details.put("database", status.database());
        if (status.failing()) {
            health.details.put("error", status.failure());
            health.details.put("failingSince", status.failingSince().toString());
        }
        health.details.put("lastWrite", status.lastWrite() == null ? "none yet" : status.lastWrite().toString());
        RawMetrics.Stats stats = RawMetrics.stats();
        health.details.put("recorded", stats.recorded());
        health.details.put("delivered", stats.delivered());
        health.details.put("dropped", stats.dropped());
        health.details.put("buffered", stats.buffered());
        return health;
    }
}
