package io.rawmetrics.spring.boot.actuate;

/** Which contributors and groups the {@code rawmetrics} health group keeps apart. */
final class HealthGroups {

    private HealthGroups() {
    }

    /** Whether {@code member} is the rawmetrics contributor. */
    static boolean isOurs(String member) {
        return member.equals(WriteHealth.CONTRIBUTOR);
    }

    /** Kubernetes' probes: an application must not be restarted, or taken out of service, for its metrics. */
    static boolean isProbe(String group) {
        return group.equals("liveness") || group.equals("readiness");
    }
}
