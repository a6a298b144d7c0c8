package io.rawmetrics.spring.boot.actuate;

/** Which contributors and groups the {@code rawmetrics} health group keeps apart. */
final class HealthGroups {

    private HealthGroups() {
    }

    /** Whether {@code member} is the rawmetrics contributor (or a part of it, {@code rawmetrics/...}). */
    static boolean isOurs(String member) {
        return member.equals(WriteHealth.NAME) || member.startsWith(WriteHealth.NAME + "/");
    }

    /** Kubernetes' probes: an application must not be restarted, or taken out of service, for its metrics. */
    static boolean isProbe(String group) {
        return group.equals("liveness") || group.equals("readiness");
    }
}
