package io.rawmetrics.internal.processor;

import io.rawmetrics.TagResolver;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * What {@link FunctionCallProcessor} checks of a tag's resolver (that it can be created, and takes
 * the type of what it is given) and of a {@code @ResultTag}'s method (that it has a single result
 * to take the tag from), in the compiler's model of the code.
 */
final class ResolverChecks {

    private final Types types;

    ResolverChecks(Types types) {
        this.types = types;
    }

    /** Lazy results a result tag has no one value of: many values, or none. */
    private static final Set<String> MULTI_VALUED = Set.of("reactor.core.publisher.Flux",
            "io.reactivex.rxjava3.core.Completable", "io.reactivex.rxjava3.core.Observable",
            "io.reactivex.rxjava3.core.Flowable", "org.reactivestreams.Publisher", "java.util.concurrent.Flow.Publisher");
    /** Results whose value comes later: the tag is made from that value, their first type argument. */
    private static final Set<String> LATER_VALUES = Set.of("java.util.concurrent.CompletionStage",
            "reactor.core.publisher.Mono", "io.reactivex.rxjava3.core.Single", "io.reactivex.rxjava3.core.Maybe");

    /** What is wrong with a {@code @ResultTag} on {@code method} (its result, its resolver), or {@code null}. */
    String resultProblem(ExecutableElement method, AnnotationMirror resultTag) {
        TypeMirror returned = method.getReturnType();
        if (returned.getKind() == TypeKind.VOID) {
            return "the method returns void: there is no result to take the tag from";
        }
        if (returned instanceof DeclaredType declared) {
            String name = ((TypeElement) declared.asElement()).getQualifiedName().toString();
            if (MULTI_VALUED.contains(name)) {
                return "the method returns a " + declared.asElement().getSimpleName() + ", which has many values or"
                        + " none: a result tag needs a single value (a Mono, Single, Maybe or CompletionStage has one)";
            }
        }
        TypeMirror value = laterValue(returned);
        return problem(resultTag, value != null ? value : returned,
                value != null ? "result's value" : "method's result");
    }

    /** The type of the value a result of type {@code type} completes with later, or {@code null}. */
    private TypeMirror laterValue(TypeMirror type) {
        if (!(type instanceof DeclaredType declared)) {
            return null;
        }
        if (LATER_VALUES.contains(((TypeElement) declared.asElement()).getQualifiedName().toString())) {
            return declared.getTypeArguments().isEmpty() ? null : declared.getTypeArguments().get(0);
        }
        for (TypeMirror supertype : types.directSupertypes(type)) {
            TypeMirror found = laterValue(supertype);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * What is wrong with the resolver of {@code tag} (a {@code @Tag} or {@code @ResultTag}) for values
     * of type {@code value}, or {@code null}; {@code whose} names the value in the message.
     */
    String problem(AnnotationMirror tag, TypeMirror value, String whose) {
        TypeMirror resolver = resolverType(tag);
        if (resolver == null) {
            return null;
        }
        TypeElement type = (TypeElement) types.asElement(resolver);
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
        TypeMirror argument = value.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) value).asType() : value;
        if (accepted != null && !types.isAssignable(types.erasure(argument), types.erasure(accepted))) {
            return "resolver " + type.getQualifiedName() + " takes " + accepted + ", not the " + whose + " " + value;
        }
        return null;
    }

    /** The {@code resolver} attribute of a {@code @Tag} or {@code @ResultTag}, or {@code null} if none is given. */
    private TypeMirror resolverType(AnnotationMirror tag) {
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
}
