package io.jkeras.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How Keras names a class, when the defaults do not fit. By default a jkeras class in one of
 * jkeras's own packages is the Keras built-in of the same simple name ({@code Dense} is {@code
 * keras.layers.Dense}), found under that name and its snake_case form; nothing needs declaring.
 *
 * <p>Declare a registered name for a class that is not a Keras built-in (what Python's {@code
 * register_keras_serializable(package=...)} writes as {@code registered_name}), and aliases for
 * other names files or users may use:
 *
 * <pre>{@code
 * @KerasClass(registeredName = "jkeras>FMLayer", aliases = "FMLayer")
 * public class FMLayer extends Layer { ... }
 *
 * @KerasClass(aliases = "Convolution1D")
 * public class Conv1D extends Layer { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KerasClass {

  /**
   * The registered name ({@code "package>ClassName"}) of a class that is not a Keras built-in;
   * empty for a built-in.
   */
  String registeredName() default "";

  /** The module written for it in {@code config.json}; empty for the catalog's default. */
  String module() default "";

  /** Other names that find the class: Keras's exported aliases, short names ({@code "mse"}). */
  String[] aliases() default {};
}
