package io.jkeras.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal text of binary floating-point numbers as C's {@code printf("%.<p>g")} and Python's {@code
 * format(v, ".<p>g")} write it, rounding the number's exact binary value half to even (Java's
 * {@code String.format} rounds its shortest decimal instead: 2.675 is 2.67499999... and prints as
 * 2.67 in C and Python, 2.68 in Java). Callback file names and logs (Python's rules) and served
 * tensors (TensorFlow Serving's, which are C's) both use it.
 *
 * <pre>{@code
 * DecimalText.general(2.675, 3);    // "2.67"
 * DecimalText.general(1.0e-5, 6);   // "1e-05"
 * DecimalText.general(1234.5, 2);   // "1.2e+03"
 * }</pre>
 */
public final class DecimalText {

  private DecimalText() {}

  /**
   * {@code %.<digits>g}: {@code digits} significant digits, plain while the rounded number's
   * decimal exponent is from -4 to {@code digits - 1}, else {@code d.ddde±XX}; trailing zeros
   * dropped.
   *
   * @param v a finite number
   * @param digits the significant digits, at least 1
   * @throws IllegalArgumentException if {@code v} is not finite or {@code digits < 1}
   */
  public static String general(double v, int digits) {
    return general(v, digits, digits);
  }

  /**
   * As {@link #general(double, int)}, but plain only below the decimal exponent {@code
   * scientificFrom} (Python's type-less {@code format(v, ".<p>")} switches at {@code p - 1}).
   *
   * <pre>{@code
   * DecimalText.general(120.0, 3, 2);   // "1.2e+02"
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code v} is not finite or {@code digits < 1}
   */
  public static String general(double v, int digits, int scientificFrom) {
    if (!Double.isFinite(v) || digits < 1) {
      throw new IllegalArgumentException(
          "DecimalText: expected a finite number and at least one digit, got " + v + ", " + digits);
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal r = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN));
    int exponent = r.precision() - r.scale() - 1;
    if (exponent >= -4 && exponent < scientificFrom) {
      String plain = r.setScale(Math.max(0, digits - 1 - exponent)).toPlainString();
      if (plain.indexOf('.') >= 0) {
        int end = plain.length();
        while (plain.charAt(end - 1) == '0') {
          end--;
        }
        plain = plain.substring(0, plain.charAt(end - 1) == '.' ? end - 1 : end);
      }
      return plain;
    }
    String mantissa = r.unscaledValue().abs().toString();
    int end = mantissa.length();
    while (end > 1 && mantissa.charAt(end - 1) == '0') {
      end--;
    }
    StringBuilder out = new StringBuilder(r.signum() < 0 ? "-" : "");
    out.append(mantissa.charAt(0));
    if (end > 1) {
      out.append('.').append(mantissa, 1, end);
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    return out.append(e < 10 ? "0" : "").append(e).toString();
  }
}
