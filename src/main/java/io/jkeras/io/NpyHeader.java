package io.jkeras.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The header dictionary of a {@code .npy} file: {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }}, parsed from the Python literal syntax NumPy writes and formatted the way
 * NumPy formats it.
 *
 * <p>The parser accepts the literals a header can hold (dicts, tuples, lists, strings, integers,
 * True, False, None) with Python's spacing and trailing-comma rules, and the {@code L} suffix of
 * integers written by Python 2; anything else is reported with its position.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

  /** Thrown for a header that cannot be used; the reader adds the file name. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** A parsed Python tuple, kept apart from lists because the shape must be a tuple. */
  private record Tuple(List<Object> items) {}

  /** Python's None. */
  private static final Object NONE = new Object();

  /** The dictionary text in NumPy's layout, without the padding that aligns the data. */
  String format() {
    return "{'descr': '"
        + descr
        + "', 'fortran_order': "
        + (fortranOrder ? "True" : "False")
        + ", 'shape': "
        + NpyArray.formatShape(shape)
        + ", }";
  }

  /**
   * Parses a header dictionary.
   *
   * @throws Invalid if the text is not a dictionary literal with exactly the keys descr,
   *     fortran_order and shape, of types str (or list, reported as an unsupported structured
   *     dtype), bool and tuple of non-negative ints
   */
  static NpyHeader parse(String text) throws Invalid {
    Parser p = new Parser(text);
    Object value = p.value();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("end of the dictionary");
    }
    if (!(value instanceof Map<?, ?> dict)) {
      throw new Invalid(
          "malformed header: expected a dictionary, found "
              + describe(value)
              + " in "
              + quote(text));
    }
    TreeSet<String> keys = new TreeSet<>();
    for (Object k : dict.keySet()) {
      keys.add(String.valueOf(k));
    }
    if (!keys.equals(new TreeSet<>(List.of("descr", "fortran_order", "shape")))) {
      throw new Invalid(
          "malformed header: expected the keys [descr, fortran_order, shape], found "
              + keys
              + " in "
              + quote(text));
    }
    Object descr = dict.get("descr");
    if (descr instanceof List<?> || descr instanceof Tuple) {
      throw new Invalid(
          "unsupported dtype: structured dtypes (a list descr) are not supported, found "
              + quote(text));
    }
    if (!(descr instanceof String d)) {
      throw new Invalid(
          "malformed header: descr must be a string, found "
              + describe(descr)
              + " in "
              + quote(text));
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new Invalid(
          "malformed header: fortran_order must be True or False, found "
              + describe(dict.get("fortran_order"))
              + " in "
              + quote(text));
    }
    if (!(dict.get("shape") instanceof Tuple tuple)) {
      throw new Invalid(
          "malformed header: shape must be a tuple of integers, found "
              + describe(dict.get("shape"))
              + " in "
              + quote(text));
    }
    long[] shape = new long[tuple.items().size()];
    for (int i = 0; i < shape.length; i++) {
      Object item = tuple.items().get(i);
      if (!(item instanceof Long dim) || dim < 0) {
        throw new Invalid(
            "malformed header: shape must be a tuple of non-negative integers, found "
                + describe(item)
                + " at index "
                + i
                + " in "
                + quote(text));
      }
      shape[i] = dim;
    }
    return new NpyHeader(d, fortran, shape);
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v == NONE) {
      return "None";
    }
    if (v instanceof Tuple t) {
      return "a tuple " + t.items();
    }
    if (v instanceof String s) {
      return "the string '" + s + "'";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Long l) {
      return "the integer " + l;
    }
    if (v instanceof List<?> l) {
      return "a list " + l;
    }
    return "a dictionary";
  }

  /** The header text for a message: quoted, trailing padding dropped, cut after 200 chars. */
  static String quote(String text) {
    String t = text.strip();
    if (t.length() > 200) {
      t = t.substring(0, 200) + "...";
    }
    return "\"" + t + "\"";
  }

  /** Recursive-descent parser over the Python literal subset. */
  private static final class Parser {
    /** Deepest nesting of dicts, tuples and lists (a real header nests two deep). */
    private static final int MAX_DEPTH = 32;

    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
      this.s = s;
    }

    Invalid error(String expected) {
      String found = pos >= s.length() ? "the end of the header" : "'" + s.charAt(pos) + "'";
      return new Invalid(
          "malformed header: expected "
              + expected
              + " at character "
              + pos
              + ", found "
              + found
              + " in "
              + quote(s));
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
          pos++;
        } else {
          break;
        }
      }
    }

    /** True, after skipping it, if the next character is c. */
    boolean accept(char c) {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void expect(char c, String what) throws Invalid {
      if (!accept(c)) {
        throw error(what);
      }
    }

    Object value() throws Invalid {
      skipSpace();
      if (pos >= s.length()) {
        throw error("a value");
      }
      char c = s.charAt(pos);
      if (c == '{' || c == '(' || c == '[') {
        if (depth == MAX_DEPTH) {
          throw new Invalid(
              "malformed header: values nested more than "
                  + MAX_DEPTH
                  + " deep at character "
                  + pos);
        }
        depth++;
        try {
          return c == '{' ? dict() : c == '(' ? tuple() : list();
        } finally {
          depth--;
        }
      }
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
        return integer();
      }
      if (Character.isLetter(c)) {
        int start = pos;
        while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
          pos++;
        }
        String word = s.substring(start, pos);
        switch (word) {
          case "True":
            return Boolean.TRUE;
          case "False":
            return Boolean.FALSE;
          case "None":
            return NONE;
          default:
            pos = start;
            throw error("a value (True, False, None, a number, a string, (...), [...] or {...})");
        }
      }
      throw error("a value");
    }

    Map<String, Object> dict() throws Invalid {
      expect('{', "'{'");
      Map<String, Object> map = new LinkedHashMap<>();
      while (!accept('}')) {
        skipSpace();
        int keyPos = pos;
        Object key = value();
        if (!(key instanceof String k)) {
          pos = keyPos;
          throw error("a string key");
        }
        expect(':', "':' after the key '" + k + "'");
        Object v = value();
        if (map.put(k, v) != null) {
          pos = keyPos;
          throw error("no repeated key ('" + k + "' appears twice)");
        }
        if (!accept(',')) {
          expect('}', "',' or '}'");
          break;
        }
      }
      return map;
    }

    Object tuple() throws Invalid {
      expect('(', "'('");
      List<Object> items = new ArrayList<>();
      boolean comma = false;
      while (!accept(')')) {
        items.add(value());
        if (accept(',')) {
          comma = true;
        } else {
          expect(')', "',' or ')'");
          break;
        }
      }
      // (x) is a parenthesized value in Python; only (), (x,) and (x, y...) are tuples.
      if (items.size() == 1 && !comma) {
        return items.get(0);
      }
      return new Tuple(items);
    }

    List<Object> list() throws Invalid {
      expect('[', "'['");
      List<Object> items = new ArrayList<>();
      while (!accept(']')) {
        items.add(value());
        if (!accept(',')) {
          expect(']', "',' or ']'");
          break;
        }
      }
      return items;
    }

    String string() throws Invalid {
      char quoteChar = s.charAt(pos++);
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length() || s.charAt(pos) == '\n') {
          throw error("the closing " + quoteChar + " of a string");
        }
        char c = s.charAt(pos++);
        if (c == quoteChar) {
          return sb.toString();
        }
        if (c == '\\') {
          if (pos >= s.length()) {
            throw error("an escaped character");
          }
          char e = s.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '0' -> sb.append('\0');
            case '\\', '\'', '"' -> sb.append(e);
            default -> sb.append('\\').append(e);
          }
        } else {
          sb.append(c);
        }
      }
    }

    Long integer() throws Invalid {
      int start = pos;
      if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
        pos++;
      }
      int digits = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos == digits) {
        throw error("a digit");
      }
      String number = s.substring(start, pos);
      if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
        pos++; // Python 2 long literal
      }
      if (pos < s.length() && (s.charAt(pos) == '.' || Character.isLetter(s.charAt(pos)))) {
        throw error("an integer");
      }
      try {
        return Long.parseLong(number);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("an integer within 64 bits, not " + number);
      }
    }
  }
}
