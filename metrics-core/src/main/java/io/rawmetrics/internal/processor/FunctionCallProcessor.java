package io.rawmetrics.internal.processor;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.Tag;
import io.rawmetrics.TagResolver;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.tags.TaggedMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @FunctionCall} and {@code @Tag} when javac compiles it, so that a measurement
 * or tag InfluxDB cannot carry is a compile error naming the method and the value, not a surprise
 * at run time. javac finds it on the class path through {@code META-INF/services}; it generates
 * nothing.
 *
 * <p>A {@code @Tag} key must be usable ({@link TaggedMethod#keyProblem}), on one of the first
 * {@value #TAG_POSITIONS} parameters, with a resolver that can be created for the parameter's type.
 * A {@code @Tag} on a method {@code @FunctionCall} does not select is a warning: a pointcut aspect
 * may time it, which javac cannot know; {@code @SuppressWarnings("rawmetrics-untimed-tag")} says so.
 */
public final class FunctionCallProcessor extends AbstractProcessor {

    /** The parameters that can be tags: as many as the aspect has advice for. */
    static final int TAG_POSITIONS = 16;
    /** What a user writes on a method a pointcut of theirs times, to silence the untimed-tag warning. */
    static final String UNTIMED_TAG = "rawmetrics-untimed-tag";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(FunctionCall.class.getName(), Tag.class.getName());
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
                        "invalid @FunctionCall on " + function + ": " + e.getMessage(), element,
                        mirror(element, FunctionCall.class));
            }
        }
        Set<ExecutableElement> tagged = new LinkedHashSet<>();
        for (Element element : round.getElementsAnnotatedWith(Tag.class)) {
            if (element.getEnclosingElement() instanceof ExecutableElement method) {
                tagged.add(method);
            }
        }
        tagged.forEach(this::checkTags);
        return false; // other processors may look at the annotation too
    }

    private void checkTags(ExecutableElement method) {
        String function = functionName(method);
        FunctionCall own = method.getAnnotation(FunctionCall.class);
        FunctionCall ofClass = method.getEnclosingElement().getAnnotation(FunctionCall.class);
        FunctionCall describing = own != null ? own : ofClass;
        Map<String, String> constantTags = Map.of();
        if (describing != null) {
            try {
                constantTags = TimedFunction.of(function, describing).tags();
            } catch (IllegalArgumentException alreadyAnError) {
                // said by process(), for the @FunctionCall itself
            }
        }
        List<String> keys = new ArrayList<>();
        List<? extends VariableElement> parameters = method.getParameters();
        for (int position = 0; position < parameters.size(); position++) {
            VariableElement parameter = parameters.get(position);
            Tag tag = parameter.getAnnotation(Tag.class);
            if (tag == null) {
                continue;
            }
            String where = "invalid @Tag on parameter '" + parameter.getSimpleName() + "' of " + function + ": ";
            String problem = TaggedMethod.keyProblem(tag.value(), constantTags, keys);
            if (problem == null && position >= TAG_POSITIONS) {
                problem = "only the first " + TAG_POSITIONS + " parameters can be tags";
            }
            if (problem == null) {
                problem = resolverProblem(parameter);
            }
            if (problem != null) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, where + problem, parameter,
                        mirror(parameter, Tag.class));
            }
            keys.add(tag.value());
        }
        boolean timed = own != null || ofClass != null && method.getModifiers().contains(Modifier.PUBLIC);
        if (!timed && !suppressed(method)) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, "@Tag on " + function
                    + ", which @FunctionCall does not time (not on the method, nor on its class for a public method):"
                    + " its tags are written only if a pointcut aspect of yours times it; then say so with"
                    + " @SuppressWarnings(\"" + UNTIMED_TAG + "\")", method);
        }
    }

    /** What is wrong with the resolver of {@code parameter}'s {@code @Tag}, or {@code null}. */
    private String resolverProblem(VariableElement parameter) {
        TypeMirror resolver = resolverType(parameter);
        if (resolver == null) {
            return null;
        }
        TypeElement type = (TypeElement) processingEnv.getTypeUtils().asElement(resolver);
        boolean classOrRecord = type.getKind() == ElementKind.CLASS || type.getKind() == ElementKind.RECORD;
        if (!classOrRecord || type.getModifiers().contains(Modifier.ABSTRACT)) {
            String kind = classOrRecord ? "abstract class" : type.getKind().toString().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ');
            return "resolver " + type.getQualifiedName() + " must be a class that can be created, not an " + kind;
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            return "resolver " + type.getQualifiedName() + " is an inner class: make it static, so it can be created"
                    + " without an instance of " + type.getEnclosingElement().getSimpleName();
        }
        boolean noArguments = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!noArguments) {
            return "resolver " + type.getQualifiedName() + " needs a constructor without arguments, not private";
        }
        TypeMirror accepted = resolvedType(resolver);
        Types types = processingEnv.getTypeUtils();
        TypeMirror argument = parameter.asType().getKind().isPrimitive()
                ? types.boxedClass((PrimitiveType) parameter.asType()).asType() : parameter.asType();
        if (accepted != null && !types.isAssignable(types.erasure(argument), types.erasure(accepted))) {
            return "resolver " + type.getQualifiedName() + " takes " + accepted + ", not the parameter's "
                    + parameter.asType();
        }
        return null;
    }

    /** The {@code resolver} attribute of the parameter's {@code @Tag}, or {@code null} if none is given. */
    private TypeMirror resolverType(VariableElement parameter) {
        AnnotationMirror tag = mirror(parameter, Tag.class);
        for (var entry : tag.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("resolver")
                    && entry.getValue().getValue() instanceof TypeMirror type
                    && !type.toString().equals(TagResolver.class.getName())) {
                return type;
            }
        }
        return null;
    }

    /** The {@code T} of {@code TagResolver<T>} that {@code resolver} implements, or {@code null} if raw. */
    private TypeMirror resolvedType(TypeMirror resolver) {
        Types types = processingEnv.getTypeUtils();
        for (TypeMirror supertype : types.directSupertypes(resolver)) {
            if (supertype instanceof DeclaredType declared
                    && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(TagResolver.class.getName())) {
                return declared.getTypeArguments().isEmpty() ? null : declared.getTypeArguments().get(0);
            }
            TypeMirror found = resolvedType(supertype);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean suppressed(Element element) {
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
            if (suppress != null && Arrays.asList(suppress.value()).contains(UNTIMED_TAG)) {
                return true;
            }
        }
        return false;
    }

    /** The annotation as written, so the error points at it. */
    private static AnnotationMirror mirror(Element element, Class<?> annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(annotation.getName())) {
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
