package io.jkeras.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every expected text below is what CPython 3.11 printed for {@code format(value, spec)}. */
class PythonFormatTest {

  @ParameterizedTest(name = "format({0}, ''{1}'') = ''{2}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "0.69314718|.3|0.693",
        "100.0|.3|1e+02",
        "1.0|.3|1.0",
        "123.0|.3|1.23e+02",
        "12.0|.3|12.0",
        "0.0001234|.3|0.000123",
        "1.234e-05|.3|1.23e-05",
        "1e+16|\"\"|1e+16",
        "1e15|\"\"|1000000000000000.0",
        "0.0005|\"\"|0.0005",
        "1e-05|\"\"|1e-05",
        "2.675|.2f|2.67",
        "0.125|.2f|0.12",
        "0.375|.2f|0.38",
        "-0.001|.2f|-0.00",
        "-0.0|f|-0.000000",
        "1234567.891|,.2f|1,234,567.89",
        "0.5|>10|\"       0.5\"",
        "0.5|010.3f|000000.500",
        "-0.5|010.3f|-00000.500",
        "0.5|+.1f|+0.5",
        "0.5|\" .1f\"|\" 0.5\"",
        "0.000123456|.2e|1.23e-04",
        "123456.0|e|1.234560e+05",
        "0.0|e|0.000000e+00",
        "0.0|.1|0e+00",
        "-0.0|.2|-0.0",
        "0.0|.1g|0",
        "120.0|.3|1.2e+02",
        "120.0|g|120",
        "9.9999|.2e|1.00e+01",
        "0.0001|g|0.0001",
        "1e-05|g|1e-05",
        "123456.0|g|123456",
        "1234567.0|g|1.23457e+06",
        "0.0|g|0",
        "-0.0|g|-0",
        "1.5|.0f|2",
        "2.5|.0f|2",
        "0.25|%|25.000000%",
        "0.25|.1%|25.0%",
        "NaN|.2f|nan",
        "Infinity|e|inf",
        "-Infinity|\"\"|-inf",
        "NaN|F|NAN",
        "1e300|.3|1e+300",
        "0.5|*^9.2f|**0.50***",
        "12345.678|_.1f|12_345.7",
        "1.0|G|1",
        "1e-10|G|1E-10",
        "1e22|.3f|10000000000000000000000.000",
        "0.1|.20f|0.10000000000000000555",
        "4.9E-324|\"\"|5e-324",
        "1.7976931348623157e308|\"\"|1.7976931348623157e+308",
      })
  void floatsAsPython(double value, String spec, String python) {
    assertEquals(python, PythonFormat.format(value, spec));
  }

  @ParameterizedTest(name = "format({0}, ''{1}'') = ''{2}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "3|03|003",
        "3|03d|003",
        "7|>4|\"   7\"",
        "7|<4|\"7   \"",
        "7|^5|\"  7  \"",
        "1234567|,|1,234,567",
        "5|+d|+5",
        "-5|05d|-0005",
        "3|.2f|3.00",
        "3|e|3.000000e+00",
        "3|%|300.000000%",
        "42|x|2a",
        "3|\"\"|3",
      })
  void integersAsPython(int value, String spec, String python) {
    assertEquals(python, PythonFormat.format(value, spec));
  }

  @ParameterizedTest(name = "str({0}) = ''{1}''")
  @CsvSource({
    "0.0005, 0.0005",
    "1e-05, 1e-05",
    "1.399999976158142, 1.399999976158142",
    "100.0, 100.0",
    "1e16, 1e+16",
    "-2.5e-7, -2.5e-07",
    "-0.0, -0.0",
    "NaN, nan"
  })
  void strAsPython(double value, String python) {
    assertEquals(python, PythonFormat.str(value));
  }

  /** Python raises ValueError for these. */
  @ParameterizedTest
  @CsvSource({
    "3, .2, Precision not allowed",
    "3, s, Unknown format code 's' for object of type 'int'"
  })
  void integerErrorsAsPython(int value, String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PythonFormat.format(value, spec));
    assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"d, Unknown format code 'd' for object of type 'float'", "x, Unknown format code"})
  void floatErrorsAsPython(String spec, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PythonFormat.format(0.5, spec));
    assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
  }
}
