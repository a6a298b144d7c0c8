package io.rawmetrics.spring.boot;

import io.rawmetrics.spi.LibraryLogging;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;

/**
 * Warns at start about controller methods that bind a request value by their parameter's name in
 * a class compiled without {@code -parameters}: Spring answers every such request with 500. It
 * happens when ajc compiles the sources again without the flag that Spring Boot's parent gives
 * javac, and the build says nothing. Reads only the controllers' classes, once; the annotations
 * are matched by name, so that an application without Spring MVC needs nothing more.
 */
final class ParameterNamesCheck implements SmartInitializingSingleton {

    /** Spring MVC's and WebFlux's annotations that take the parameter's name when given none. */
    private static final Set<String> BY_NAME = Set.of("RequestParam", "PathVariable", "RequestHeader", "CookieValue",
            "MatrixVariable", "RequestAttribute", "SessionAttribute", "RequestPart");
    private static final String PACKAGE = "org.springframework.web.bind.annotation.";

    private final ListableBeanFactory beans;

    ParameterNamesCheck(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<Class<?>> controllers = new LinkedHashSet<>();
        for (String name : beans.getBeanNamesForAnnotation(Controller.class)) {
            Class<?> type = beans.getType(name);
            if (type != null) {
                controllers.add(ClassUtils.getUserClass(type));
            }
        }
        for (Class<?> controller : controllers) {
            Set<String> methods = boundByMissingNames(controller);
            if (!methods.isEmpty()) {
                LibraryLogging.logger().log(System.Logger.Level.WARNING, "rawmetrics: " + controller.getName() + " was compiled"
                        + " without -parameters, and " + String.join(", ", methods) + " bind request values by their"
                        + " parameters' names: Spring answers those requests with 500. If ajc compiles it"
                        + " (aspectj-maven-plugin), give ajc the flags javac gets: <parameters>true</parameters> in the"
                        + " plugin's configuration (docs/spring-boot.md)");
            }
        }
    }

    /** The methods of {@code type}, in name order, with a parameter bound by a name its class file does not have. */
    static Set<String> boundByMissingNames(Class<?> type) {
        Set<String> found = new TreeSet<>();
        Method[] methods;
        try {
            methods = type.getDeclaredMethods();
        } catch (LinkageError e) {
            return found; // a class that cannot be read fully is not ours to judge
        }
        for (Method method : methods) {
            for (Parameter parameter : method.getParameters()) {
                if (!parameter.isNamePresent() && boundByName(parameter)) {
                    found.add(method.getName());
                }
            }
        }
        return found;
    }

    private static boolean boundByName(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            String type = annotation.annotationType().getName();
            if (type.startsWith(PACKAGE) && BY_NAME.contains(type.substring(PACKAGE.length()))) {
                Map<String, Object> attributes = AnnotationUtils.getAnnotationAttributes(annotation);
                return isEmpty(attributes.get("value")) && isEmpty(attributes.get("name"));
            }
        }
        return false;
    }

    private static boolean isEmpty(Object attribute) {
        return attribute == null || attribute.toString().isEmpty();
    }
}
