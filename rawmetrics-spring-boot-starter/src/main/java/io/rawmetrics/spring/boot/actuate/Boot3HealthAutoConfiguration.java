package io.rawmetrics.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 3's Actuator: the health contributor {@code rawmetricsWriter} (is InfluxDB taking
 * the points?) in a health group of its own, {@code /actuator/health/rawmetrics}, and in no other:
 * not in {@code /actuator/health}, nor in liveness or readiness. The points wait in a buffer (and
 * a spool) while InfluxDB is down; an orchestrator that restarted the application or took it
 * out of its load balancer for that would lose them, and serve no request. Boot 4 has the same
 * API in other packages: {@link Boot4HealthAutoConfiguration}.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
public class Boot3HealthAutoConfiguration {

    /** Named {@code rawmetricsWriter}: Boot drops the bean name's {@code HealthIndicator}. */
    @Bean
    @ConditionalOnMissingBean(name = "rawmetricsWriterHealthIndicator")
    public HealthIndicator rawmetricsWriterHealthIndicator() {
        return () -> {
            WriteHealth now = WriteHealth.now();
            Health.Builder health = switch (now.state) {
                case UP -> Health.up();
                case DOWN -> Health.down();
                case UNKNOWN -> Health.unknown();
            };
            return health.withDetails(now.details).build();
        };
    }

    /** Keeps the contributor in its own group, out of the application's health and its probes. */
    @Bean
    static HealthEndpointGroupsPostProcessor rawmetricsHealthGroup() {
        return Boot3HealthAutoConfiguration::withOwnGroup;
    }

    /** The {@code rawmetrics} group holds the contributor alone; the primary group and the probes go without it. */
    static HealthEndpointGroups withOwnGroup(HealthEndpointGroups groups) {
        Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            HealthEndpointGroup group = groups.get(name);
            named.put(name, HealthGroups.isProbe(name) ? new Group(group, member -> !HealthGroups.isOurs(member)) : group);
        }
        // A group the application configured under this name keeps its settings (show-details, say).
        HealthEndpointGroup settings = named.getOrDefault(WriteHealth.GROUP, groups.getPrimary());
        named.put(WriteHealth.GROUP, new Group(settings, HealthGroups::isOurs));
        return HealthEndpointGroups.of(new Group(groups.getPrimary(), member -> !HealthGroups.isOurs(member)), named);
    }

    /** A group with the settings of another and members of its own. */
    private record Group(HealthEndpointGroup settings, Predicate<String> members) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return members.test(name) && (HealthGroups.isOurs(name) || settings.isMember(name));
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return settings.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return settings.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return settings.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return settings.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            // The rawmetrics group is served at /actuator/health/rawmetrics only; the others keep their paths.
            return members.test(WriteHealth.CONTRIBUTOR) ? null : settings.getAdditionalPath();
        }
    }
}
