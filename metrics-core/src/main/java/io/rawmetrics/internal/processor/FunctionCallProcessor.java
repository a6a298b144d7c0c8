package io.rawmetrics.internal.processor;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.internal.TimedFunction;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @FunctionCall} when javac compiles it, so that a measurement or tag InfluxDB
 * cannot carry is a compile error naming the method and the value, not a surprise at run time.
 * javac finds it on the class path through {@code META-INF/services}; it generates nothing.
 */
public final class FunctionCallProcessor extends AbstractProcessor {

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(FunctionCall.class.getName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element element : round.getElementsAnnotatedWith(FunctionCall.class)) {
            String function = functionName(element);
            try {
                TimedFunction.of(function, element.getAnnotation(FunctionCall.class));
            } catch (IllegalArgumentException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "invalid @FunctionCall on " + function + ": " + e.getMessage(), element, mirror(element));
            }
        }
        return false; // other processors may look at the annotation too
    }

    /** The annotation as written, so the error points at it. */
    private static AnnotationMirror mirror(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(FunctionCall.class.getName())) {
                return mirror;
            }
        }
        return null;
    }

    /** {@code com.example.Shop.checkout} for a method, {@code com.example.Shop} for a class. */
    private String functionName(Element element) {
        if (element.getKind() == ElementKind.METHOD) {
            TypeElement type = (TypeElement) element.getEnclosingElement();
            return processingEnv.getElementUtils().getBinaryName(type) + "." + element.getSimpleName();
        }
        return element instanceof TypeElement type
                ? processingEnv.getElementUtils().getBinaryName(type).toString() : element.toString();
    }
}
