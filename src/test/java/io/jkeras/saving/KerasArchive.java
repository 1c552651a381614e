package io.jkeras.saving;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** A .keras archive in memory, for tests that rewrite, reorder, compress or damage one. */
final class KerasArchive {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Members in archive order. */
  final Map<String, byte[]> members = new LinkedHashMap<>();

  static KerasArchive read(Path file) {
    KerasArchive a = new KerasArchive();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      zip.stream()
          .forEach(
              e -> {
                try {
                  a.members.put(e.getName(), zip.getInputStream(e).readAllBytes());
                } catch (IOException ex) {
                  throw new UncheckedIOException(ex);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return a;
  }

  /** config.json as a mutable map. */
  @SuppressWarnings("unchecked")
  Map<String, Object> config() {
    try {
      return JSON.readValue(members.get("config.json"), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites config.json after {@code edit} changed it. */
  KerasArchive editConfig(Consumer<Map<String, Object>> edit) {
    Map<String, Object> config = config();
    edit.accept(config);
    try {
      members.put("config.json", JSON.writeValueAsBytes(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The config of layer {@code index} in config.json's "config.layers". */
  @SuppressWarnings("unchecked")
  static Map<String, Object> layerConfig(Map<String, Object> config, int index) {
    Map<String, Object> inner = (Map<String, Object>) config.get("config");
    Map<String, Object> entry =
        (Map<String, Object>) ((java.util.List<Object>) inner.get("layers")).get(index);
    return (Map<String, Object>) entry.get("config");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> layerEntry(Map<String, Object> config, int index) {
    Map<String, Object> inner = (Map<String, Object>) config.get("config");
    return (Map<String, Object>) ((java.util.List<Object>) inner.get("layers")).get(index);
  }

  byte[] bytes(boolean deflate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ZipEntry e = new ZipEntry(m.getKey());
        byte[] b = m.getValue();
        if (deflate) {
          e.setMethod(ZipEntry.DEFLATED);
        } else {
          e.setMethod(ZipEntry.STORED);
          e.setSize(b.length);
          e.setCompressedSize(b.length);
          CRC32 crc = new CRC32();
          crc.update(b);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(b);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  Path write(Path file, boolean deflate) {
    try {
      Files.write(file, bytes(deflate));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
