package io.jkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.testing.SharedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibfmReaderTest {

  @TempDir Path dir;

  static Path frappe(String file) {
    return SharedFiles.get("datasets/frappe/" + file);
  }

  @Test
  void readsFrappeAsItsReadmeDescribesIt() {
    ClickData train = LibfmReader.builder().fields(10).read(frappe("frappe.validation.libfm"));
    assertEquals(57_722, train.rows());
    assertEquals(10, train.fields());
    assertEquals(19_063, Math.round(train.positiveRate() * train.rows()));
    ClickData test =
        LibfmReader.builder().fields(10).idBound(5382).read(frappe("frappe.test.libfm"));
    assertEquals(28_860, test.rows());
    assertEquals(9_536, Math.round(test.positiveRate() * test.rows()));
    assertTrue(train.idBound() <= 5382 && test.idBound() <= 5382);
    // First test line: "-1 204:1 4798:1 5041:1 5046:1 5053:1 5055:1 5058:1 5060:1 5073:1 5183:1"
    assertEquals(0f, test.label(0));
    assertEquals(204, test.id(0, 0));
    assertEquals(5183, test.id(0, 9));
    assertEquals(1f, test.label(1));
  }

  @Test
  void labelsOfBothConventionsAndBlankLines() throws IOException {
    Path f = write("1 0:1 3:1\n-1 1:1 2:1\n\n0 2:1 3:1.0\n+1 0:1 2:1\n");
    ClickData d = LibfmReader.builder().read(f);
    assertEquals(4, d.rows());
    assertEquals(2, d.fields());
    assertEquals(1f, d.label(0));
    assertEquals(0f, d.label(1));
    assertEquals(0f, d.label(2));
    assertEquals(1f, d.label(3));
    assertEquals(4, d.idBound());
    ClickData[] parts = d.split(0.25, 1);
    assertEquals(3, parts[0].rows());
    assertEquals(1, parts[1].rows());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1 0:1 3:1\\n-1 1:1\\n|:2: expected 2 id:value pairs|-1",
        "1 0:1 3:1\\n2 1:1 2:1\\n|:2: the label must be +1, 1, -1 or 0, got \"2\"|-1",
        "1 0:1 3:1\\n1 1:1 x:1\\n|:2: field 1: the id must be a whole number|1",
        "1 0:1 3:1\\n1 1:1 22\\n|:2: field 1: expected an id:value pair, got \"22\"|1",
        "1 0:1 3:1\\n1 1:1 9:1\\n|:2: field 1: id 9 is out of range [0, 5)|1",
        "1 0:1 3:0.5\\n|:1: field 1: the value must be 1|1",
        "1 0:1 -3:1\\n|:1: field 1: id -3 is out of range|1",
        "1 0:1 99999999999999999999:1\\n|:1: field 1: id 99999999999999999999 is out of range|1",
        "\\n\\n|: the file holds no rows|-1",
      })
  void badInputNamesFileLineAndField(String text, String message, int field) throws IOException {
    Path f = write(text.replace("\\n", "\n"));
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> LibfmReader.builder().idBound(5).read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(field, e.field());
  }

  @Test
  void aDeclaredFieldCountIsEnforcedFromTheFirstRow() throws IOException {
    Path f = write("1 0:1 3:1\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> LibfmReader.builder().fields(10).read(f));
    assertTrue(e.getMessage().contains(":1: expected 10 id:value pairs"), e.getMessage());
  }

  @Test
  void theLargestIntIsOutOfRangeSoThatTheIdBoundFitsAnInt() throws IOException {
    // Accepted, id 2147483647 made ClickData.idBound() (largest id + 1) overflow to -2147483648.
    Path f = write("1 0:1\n0 2147483647:1\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> LibfmReader.builder().read(f));
    assertTrue(
        e.getMessage().contains(":2: field 0: id 2147483647 is out of range [0, 2147483647)"),
        e.getMessage());
    assertEquals(2147483647, LibfmReader.builder().read(write("1 2147483646:1\n")).idBound());
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedBeforeItIsHeld() throws IOException {
    // No line break in 1.2 million characters: a file that is not line-based, or an attack.
    Path f = write("1 0:1\n0 " + "0:1 ".repeat(300_000) + "\n");
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> LibfmReader.builder().read(f));
    assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
    assertTrue(e.getMessage().contains("longer than 1048576 characters"), e.getMessage());
    Path small = write("1 0:1 1:1\n" + "0 2:1 13:1\n");
    e =
        assertThrows(
            DataFormatException.class, () -> LibfmReader.builder().maxLineLength(9).read(small));
    assertTrue(e.getMessage().contains(":2: the line is longer than 9"), e.getMessage());
  }

  @Test
  void lineBreaksOfEveryKindAndNoneAtTheEnd() throws IOException {
    ClickData d = LibfmReader.builder().read(write("1 0:1\r\n0 1:1\r\r\n1 2:1\r1 3:1"));
    assertEquals(4, d.rows());
    assertEquals(3, d.id(3, 0));
  }

  @Test
  void bytesThatAreNotUtf8AreReportedWithTheirLine() throws IOException {
    // Line 3 holds a Latin-1 "é" (0xe9), far enough in that a read-ahead would pass it first.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2; i++) {
      text.append("1 0:1").append(" ".repeat(40_000)).append('\n');
    }
    byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bad = "0 1:1 caf\u00e9\n1 2:1\n".getBytes(StandardCharsets.ISO_8859_1);
    Path f = dir.resolve("latin1.libfm");
    Files.write(
        f, java.nio.ByteBuffer.allocate(head.length + bad.length).put(head).put(bad).array());
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> LibfmReader.builder().read(f));
    assertTrue(e.getMessage().startsWith(f + ":3: not UTF-8 text: byte 0xe9"), e.getMessage());
  }

  private Path write(String text) throws IOException {
    Path f = dir.resolve("rows.libfm");
    Files.writeString(f, text);
    return f;
  }
}
