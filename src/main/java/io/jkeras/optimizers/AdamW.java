package io.jkeras.optimizers;

import io.jkeras.config.ConfigReader;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as Keras 3's AdamW: Adam's
 * defaults plus weight_decay 0.004, applied before each update as {@code w -= w · wd · lr}.
 *
 * <pre>{@code
 * model.compile(new AdamW(0.001, 0.01), "binary_crossentropy");
 * }</pre>
 */
public class AdamW extends Adam {

  /**
   * AdamW with Keras's defaults (learning rate 0.001, weight decay 0.004, Adam's betas and
   * epsilon).
   */
  public AdamW() {
    this(0.001, 0.004);
  }

  /** AdamW with the given learning rate and weight decay and Adam's defaults otherwise. */
  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, 0.9, 0.999, 1e-7, false);
  }

  /**
   * AdamW.
   *
   * @param weightDecay the decoupled decay rate: {@code w -= w * weightDecay * lr} before each
   *     update
   * @param beta1 the decay of the first-moment estimate, in [0, 1)
   * @param beta2 the decay of the second-moment estimate, in [0, 1)
   * @param epsilon added to the denominator, positive
   * @param amsgrad divide by the largest velocity so far
   */
  public AdamW(
      double learningRate,
      double weightDecay,
      double beta1,
      double beta2,
      double epsilon,
      boolean amsgrad) {
    super(learningRate, beta1, beta2, epsilon, amsgrad);
    weightDecay(weightDecay);
  }

  /** From a Keras config. */
  public static AdamW fromConfig(Map<String, Object> config) {
    String cls = "AdamW";
    Object wd = config.get("weight_decay");
    if (wd == null && config.containsKey("weight_decay")) {
      throw ConfigReader.of(cls, java.util.Map.of())
          .wrongValue("weight_decay", "a number (AdamW decays weights)", null);
    }
    return withBaseOptions(
        new AdamW(
            learningRateOf(cls, config, 0.001),
            ConfigReader.of(cls, config).number("weight_decay", 0.004),
            ConfigReader.of(cls, config).number("beta_1", 0.9),
            ConfigReader.of(cls, config).number("beta_2", 0.999),
            ConfigReader.of(cls, config).number("epsilon", 1e-7),
            bool(cls, config, "amsgrad", false)),
        config,
        ADAM_KEYS);
  }
}
