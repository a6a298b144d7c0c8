package com.example.shop;

import io.rawmetrics.FunctionCall;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A composed annotation: {@code @WebRequest} times what it marks as
 * {@code @FunctionCall(tags = "layer=web")} would. Put it on a method, or on a class to time its
 * public methods.
 */
@FunctionCall(tags = "layer=web")
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WebRequest {
}
