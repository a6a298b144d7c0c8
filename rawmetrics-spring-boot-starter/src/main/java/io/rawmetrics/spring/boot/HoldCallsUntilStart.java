package io.rawmetrics.spring.boot;

import io.rawmetrics.spi.RecordingOwner;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Timed calls made while the application context creates its beans (a {@code @PostConstruct} that
 * warms a cache through a timed method) wait for the context's recorder ({@link RecorderLifecycle}),
 * which starts once every bean is made: without this, the first would start a recorder from system
 * properties alone, writing to their URL and database, not the application's. A post-processor of
 * the bean factory, because those run before any bean is made. If the context fails before its
 * recorder starts, the calls held are not recorded, and their number is said.
 */
final class HoldCallsUntilStart implements BeanFactoryPostProcessor, DisposableBean {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        RecordingOwner.holdCalls();
    }

    @Override
    public void destroy() {
        RecordingOwner.releaseHeldCalls();
    }
}
