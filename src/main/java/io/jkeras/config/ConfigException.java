package io.jkeras.config;

/**
 * A Keras config that cannot be read, in one format: the object it belongs to, the JSON path of the
 * bad value inside it, and what was expected against what was found.
 *
 * <p>Its message is {@code <owner>: <path>: <detail>}, for example {@code Dense: config.units:
 * expected a positive integer, got "8" (a string)}. A model reader that knows where the object sits
 * in a file re-homes it with {@link #at}: {@code m.keras: config.json.config.layers[3] "dense_1"
 * (Dense): config.units: expected a positive integer, got "8" (a string)}.
 *
 * <pre>{@code
 * try {
 *   Dense.fromConfig(map);
 * } catch (ConfigException e) {
 *   throw new IOException(e.at("model.json: layers[0] (Dense)").getMessage(), e);
 * }
 * }</pre>
 */
public class ConfigException extends IllegalArgumentException {

  private final String owner;
  private final String path;
  private final String detail;

  /**
   * An error in the config of {@code owner} at {@code path}.
   *
   * @param owner the object read: a class name ({@code "Dense"}) or a location with it
   * @param path the JSON path inside the object's entry, {@code "config.units"}
   * @param detail what is wrong: {@code expected ..., got ...}
   */
  public ConfigException(String owner, String path, String detail) {
    this(owner, path, detail, null);
  }

  /** As {@link #ConfigException(String, String, String)}, with the exception that caused it. */
  public ConfigException(String owner, String path, String detail, Throwable cause) {
    super(owner + ": " + path + ": " + detail, cause);
    this.owner = owner;
    this.path = path;
    this.detail = detail;
  }

  /** The object whose config is wrong, {@code "Dense"}. */
  public String owner() {
    return owner;
  }

  /** The JSON path of the bad value inside the object's entry, {@code "config.units"}. */
  public String path() {
    return path;
  }

  /** What is wrong, without owner and path. */
  public String detail() {
    return detail;
  }

  /**
   * The same error with the owner replaced by a fuller location, e.g. {@code
   * "config.json.config.layers[3] \"dense_1\" (Dense)"}.
   */
  public ConfigException at(String location) {
    return new ConfigException(location, path, detail, this);
  }

  /**
   * The same error seen from an enclosing object: {@code owner} becomes the enclosing object and
   * {@code prefix} (the key path of the nested object in it) goes before the path.
   */
  public ConfigException under(String enclosingOwner, String prefix) {
    return new ConfigException(enclosingOwner, prefix + "." + path, detail, this);
  }
}
