package io.rawmetrics.internal.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The @FunctionCall checker, run by a real javac on small sources. */
class FunctionCallProcessorTest {

    @TempDir
    Path classes;

    private List<Diagnostic<? extends JavaFileObject>> compile(String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///com/example/Shop.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString()), null, List.of(file));
        task.setProcessors(List.of(new FunctionCallProcessor()));
        task.call();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).collect(Collectors.toList());
    }

    @Test
    void validAnnotationsCompile() {
        assertEquals(List.of(), compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                @FunctionCall(tags = "layer=service")
                public class Shop {
                    @FunctionCall(measurement = "checkout requests", tags = {"team=checkout", "tier=web"})
                    public String checkout() { return "ok"; }
                }
                """));
    }

    @Test
    void aTagWithoutEqualsSignIsACompileErrorNamingTheMethodAndTheValue() {
        List<Diagnostic<? extends JavaFileObject>> errors = compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                public class Shop {
                    @FunctionCall(tags = "checkout")
                    public String checkout() { return "ok"; }
                }
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("invalid @FunctionCall on com.example.Shop.checkout: tag \"checkout\" must be written key=value",
                errors.get(0).getMessage(null));
        assertEquals(4, errors.get(0).getLineNumber());
    }

    @Test
    void reservedKeysAndUnreadableMeasurementsAreCompileErrors() {
        List<Diagnostic<? extends JavaFileObject>> errors = compile("""
                package com.example;
                import io.rawmetrics.FunctionCall;
                public class Shop {
                    @FunctionCall(tags = "outcome=always")
                    public String a() { return "a"; }
                    @FunctionCall(measurement = "#requests")
                    public String b() { return "b"; }
                    @FunctionCall(tags = "team=a\\\\")
                    public String c() { return "c"; }
                }
                """);
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains("com.example.Shop.a") && errors.get(0).getMessage(null).contains("'outcome'"));
        assertTrue(errors.get(1).getMessage(null).contains("\"#requests\""));
        assertTrue(errors.get(2).getMessage(null).contains("backslash"));
    }
}
