package io.rawmetrics.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot 4's Actuator: {@link Boot3HealthAutoConfiguration} for Boot 4, whose health API is
 * the same in the packages {@code org.springframework.boot.health.*}. Kept in step with it.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnMissingClass("org.springframework.boot.actuate.health.HealthIndicator") // never both
public class Boot4HealthAutoConfiguration {

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
        return Boot4HealthAutoConfiguration::withOwnGroup;
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
