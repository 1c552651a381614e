package io.jkeras.optimizers;

import io.jkeras.KerasObjectCatalog;
import java.util.Locale;
import java.util.Map;

/**
 * Optimizers by Keras name, with Keras 3 defaults, and rebuilt from Keras configs.
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.get("adam");
 * Optimizer sgd = Optimizers.fromConfig("SGD", Map.of("learning_rate", 0.1, "momentum", 0.9));
 * }</pre>
 */
public final class Optimizers {

  private static final KerasObjectCatalog<Optimizer> CATALOG =
      new KerasObjectCatalog<Optimizer>("optimizer")
          .add(SGD::new, SGD::fromConfig, "SGD", "sgd")
          .add(Adam::new, Adam::fromConfig, "Adam", "adam")
          .add(AdamW::new, AdamW::fromConfig, "AdamW", "adamw")
          .add(Adamax::new, Adamax::fromConfig, "Adamax", "adamax")
          .add(Nadam::new, Nadam::fromConfig, "Nadam", "nadam")
          .add(RMSprop::new, RMSprop::fromConfig, "RMSprop", "rmsprop")
          .add(Adagrad::new, Adagrad::fromConfig, "Adagrad", "adagrad")
          .add(Adadelta::new, Adadelta::fromConfig, "Adadelta", "adadelta")
          .add(Ftrl::new, Ftrl::fromConfig, "Ftrl", "ftrl")
          .add(Lion::new, Lion::fromConfig, "Lion", "lion");

  private Optimizers() {}

  /** The optimizer called {@code name} ("adam", "Adam", "sgd"...) with Keras's defaults. */
  public static Optimizer get(String name) {
    return CATALOG.get(name == null ? null : name.toLowerCase(Locale.ROOT));
  }

  /** The optimizer of Keras class {@code className} rebuilt from its config. */
  public static Optimizer fromConfig(String className, Map<String, Object> config) {
    return CATALOG.fromConfig(className, config);
  }
}
