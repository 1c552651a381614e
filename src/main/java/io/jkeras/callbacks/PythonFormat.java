package io.jkeras.callbacks;

import io.jkeras.io.DecimalText;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers written as Python writes them, for the files Keras's callbacks name and fill: {@code
 * str(float)} (CSV rows, file names) and {@code format(value, spec)} with the standard format
 * specification ({@code [[fill]align][sign][0][width][,|_][.precision][type]}) for integers and
 * floats. Rounding is that of the exact binary value, half to even, as CPython's: {@code
 * format(2.675, ".2f")} is {@code 2.67}, where {@code String.format} writes {@code 2.68}.
 */
final class PythonFormat {

  private static final Pattern SPEC =
      Pattern.compile(
          "(?:(?<fill>.)?(?<align>[<>=^]))?(?<sign>[-+ ])?(?<zero>0)?(?<width>[0-9]+)?"
              + "(?<group>[,_])?(?:\\.(?<precision>[0-9]+))?(?<type>[a-zA-Z%])?");

  private PythonFormat() {}

  /**
   * Python's {@code str} of a float: the shortest digits that read back to {@code v}, plain for
   * decimal exponents from -4 to 15 (with {@code .0} when whole), else scientific with a signed
   * exponent of at least two digits ({@code 0.0005}, {@code 1e-05}, {@code 1e+16}).
   */
  static String str(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return special(v, false);
    }
    BigDecimal d = shortest(Math.abs(v));
    int exponent = d.precision() - d.scale() - 1;
    String sign = v < 0 ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      return sign + withDotZero(d.toPlainString());
    }
    return sign + scientific(d.unscaledValue().toString(), exponent);
  }

  /**
   * The fewest significant digits that read back to {@code v} (Java 17's {@code Double.toString} is
   * not always shortest: it writes 4.9E-324 where Python writes 5e-324).
   */
  private static BigDecimal shortest(double v) {
    for (int n = 1; n < 17; n++) {
      BigDecimal r = round(v, n);
      if (r.doubleValue() == v) {
        return r.stripTrailingZeros();
      }
    }
    return round(v, 17).stripTrailingZeros();
  }

  /**
   * Python's {@code format(value, spec)} for an {@code Integer}, {@code Long} or {@code Double}.
   *
   * @throws IllegalArgumentException where Python raises {@code ValueError}, or for the parts of
   *     the specification this class does not write ({@code #}, {@code n}, {@code c})
   */
  static String format(Object value, String spec) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid format specifier '" + spec + "'");
    }
    String type = m.group("type");
    String precisionText = m.group("precision");
    Integer precision = precisionText == null ? null : Integer.valueOf(precisionText);
    boolean integer = value instanceof Integer || value instanceof Long;
    if (!integer && !(value instanceof Double)) {
      throw new IllegalArgumentException(
          "Cannot format a " + value.getClass().getSimpleName() + " with '" + spec + "'");
    }
    String kind = integer ? "int" : "float";
    if (type != null && (type.equals("c") || type.equals("n"))) {
      throw new IllegalArgumentException("Format code '" + type + "' is not written by jkeras");
    }
    boolean integerType = type == null || "dboxX".contains(type);
    if (type != null && !"eEfFgG%".contains(type) && !(integer && integerType)) {
      throw new IllegalArgumentException(
          "Unknown format code '" + type + "' for object of type '" + kind + "'");
    }
    String body;
    boolean negative;
    if (integer && integerType) {
      if (precision != null) {
        throw new IllegalArgumentException("Precision not allowed in integer format specifier");
      }
      long n = ((Number) value).longValue();
      negative = n < 0;
      int radix =
          type == null || type.equals("d") ? 10 : type.equals("b") ? 2 : type.equals("o") ? 8 : 16;
      if (radix != 10 && ",".equals(m.group("group"))) {
        throw new IllegalArgumentException("Cannot specify ',' with '" + type + "'.");
      }
      body = Long.toString(Math.abs(n), radix);
      if ("X".equals(type)) {
        body = body.toUpperCase(Locale.ROOT);
      }
      body = group(body, m.group("group"), radix == 10 ? 3 : 4);
    } else {
      double v = ((Number) value).doubleValue();
      negative = v < 0 || (v == 0 && 1 / v < 0);
      body = floatBody(Math.abs(v), type, precision, m.group("group"));
    }
    String sign = negative ? "-" : signFor(m.group("sign"));
    return pad(sign, body, m);
  }

  private static String floatBody(double v, String type, Integer precision, String grouping) {
    boolean upper = type != null && Character.isUpperCase(type.charAt(0));
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return special(v, upper);
    }
    if (type == null && precision == null) {
      return groupIntegerPart(str(v), grouping);
    }
    String text;
    switch (type == null ? "n" : type.toLowerCase(Locale.ROOT)) {
      case "f" -> text = fixed(v, precision == null ? 6 : precision);
      case "%" -> text = fixed(v * 100, precision == null ? 6 : precision) + "%";
      case "e" -> {
        BigDecimal r = round(v, (precision == null ? 6 : precision) + 1);
        text = scientific(digits(r, (precision == null ? 6 : precision) + 1), exponent(r, v));
      }
      case "g" -> text = general(v, precision == null ? 6 : Math.max(precision, 1), false);
      default -> text = general(v, Math.max(precision, 1), true);
    }
    if (upper) {
      text = text.toUpperCase(Locale.ROOT);
    }
    return groupIntegerPart(text, grouping);
  }

  /**
   * {@code g}, and Python's type-less form with a precision ({@code repr}-like: sci from exponent
   * {@code p - 1}, whole numbers keep {@code .0}); trailing zeros dropped.
   */
  private static String general(double v, int p, boolean typeless) {
    if (v == 0) {
      // Python's type-less form: exponent 0 is scientific from p = 1 on ("0e+00").
      return !typeless ? "0" : p == 1 ? "0e+00" : "0.0";
    }
    String text = DecimalText.general(v, p, typeless ? p - 1 : p);
    return typeless ? withDotZero(text) : text;
  }

  private static String fixed(double v, int decimals) {
    return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static BigDecimal round(double v, int significant) {
    return new BigDecimal(v).round(new MathContext(significant, RoundingMode.HALF_EVEN));
  }

  private static int exponent(BigDecimal rounded, double v) {
    return v == 0 ? 0 : rounded.precision() - rounded.scale() - 1;
  }

  /** The {@code n} leading significant digits of {@code r} (zeros appended). */
  private static String digits(BigDecimal r, int n) {
    String d = r.unscaledValue().abs().toString();
    if (r.signum() == 0) {
      d = "0";
    }
    return d.length() >= n ? d.substring(0, n) : d + "0".repeat(n - d.length());
  }

  /** {@code d.ddde±XX} from the digit string {@code digits}. */
  private static String scientific(String digits, int exponent) {
    String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    return mantissa
        + (exponent < 0 ? "e-" : "e+")
        + (Math.abs(exponent) < 10 ? "0" : "")
        + Math.abs(exponent);
  }

  private static String withDotZero(String plain) {
    return plain.contains(".") || plain.contains("e") ? plain : plain + ".0";
  }

  private static String special(double v, boolean upper) {
    String s =
        Double.isNaN(v)
            ? "nan"
            : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : (1 / v < 0 ? "-0.0" : "0.0");
    return upper ? s.toUpperCase(Locale.ROOT) : s;
  }

  private static String signFor(String flag) {
    return flag == null || flag.equals("-") ? "" : flag;
  }

  private static String groupIntegerPart(String text, String grouping) {
    if (grouping == null) {
      return text;
    }
    int end = 0;
    while (end < text.length() && Character.isDigit(text.charAt(end))) {
      end++;
    }
    return group(text.substring(0, end), grouping, 3) + text.substring(end);
  }

  private static String group(String digits, String separator, int size) {
    if (separator == null) {
      return digits;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % size == 0) {
        sb.append(separator);
      }
      sb.append(digits.charAt(i));
    }
    return sb.toString();
  }

  /** Width, fill and alignment; numbers align right, {@code 0} pads after the sign. */
  private static String pad(String sign, String body, Matcher m) {
    int width = m.group("width") == null ? 0 : Integer.parseInt(m.group("width"));
    boolean zero = m.group("zero") != null;
    String align = m.group("align") != null ? m.group("align") : zero ? "=" : ">";
    String fill =
        m.group("fill") != null ? m.group("fill") : zero && m.group("align") == null ? "0" : " ";
    int missing = width - sign.length() - body.length();
    if (missing <= 0) {
      return sign + body;
    }
    return switch (align) {
      case "<" -> sign + body + fill.repeat(missing);
      case "^" -> fill.repeat(missing / 2) + sign + body + fill.repeat(missing - missing / 2);
      case "=" -> sign + fill.repeat(missing) + body;
      default -> fill.repeat(missing) + sign + body;
    };
  }
}
