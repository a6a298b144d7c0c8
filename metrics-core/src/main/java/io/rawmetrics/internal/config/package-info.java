/**
 * Where the configuration comes from (system properties, environment variables, a properties
 * file) and how its keys are read: the internals behind {@link io.rawmetrics.RawMetricsConfig}.
 *
 * <p><b>Threading.</b> Used when a configuration is built; nothing here is shared.
 */
package io.rawmetrics.internal.config;
