package io.jkeras.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  @TempDir Path dir;

  private static final String TRAIN =
      "clicked,user,ad,price,unused\n"
          + "1,u1,a,1.5,x\n"
          + "0,u2,b,2,x\n"
          + "1,u1,\"c,d\",-1,x\n"
          + "-1,u3,a,0,x\n"
          + "1,u1,a,4,x\n";

  @Test
  void vocabulariesComeFromTheTrainingFileAndUnknownValuesGetTheOovId() throws IOException {
    Path train = write("train.csv", TRAIN);
    Path test = write("test.csv", "unused,ad,user,clicked,price\ny,a,u9,0,3\ny,zz,u2,1,1e3\n");
    CsvReader.Fitted fitted =
        CsvReader.builder()
            .label("clicked")
            .categorical("user")
            .hashed("ad", 7)
            .numeric("price")
            .embeddingDim(4)
            .build()
            .fit(train);
    Features f = fitted.features();
    // user: u1 (3 times) -> 1, then u2, u3 (once each, by value) -> 2, 3; 0 = OOV.
    assertEquals(4, f.fields().get(0).size());
    assertEquals(7, f.fields().get(1).size());
    assertEquals(4, f.fields().get(1).offset());
    assertEquals(11, f.idSpace());
    assertEquals(4, f.embeddingDim());
    ClickData d = fitted.read(train);
    assertEquals(5, d.rows());
    assertEquals(1, d.id(0, 0));
    assertEquals(2, d.id(1, 0));
    assertEquals(3, d.id(3, 0));
    assertEquals(4 + CsvReader.hashBin("c,d", 7), d.id(2, 1));
    assertEquals(0f, d.label(3));
    assertEquals(-1f, d.numeric().valueAt(2), 0);
    ClickData t = fitted.read(test);
    assertEquals(0, t.id(0, 0)); // u9 was never seen: OOV
    assertEquals(2, t.id(1, 0));
    assertEquals(4 + CsvReader.hashBin("a", 7), t.id(0, 1));
    assertEquals(1000f, t.numeric().valueAt(1), 0);
    // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
    assertEquals(Long.remainderUnsigned(0xaf63dc4c8601ec8cL, 1000), CsvReader.hashBin("a", 1000));
  }

  @Test
  void minCountSendsRareValuesToOov() throws IOException {
    Path train = write("t.tsv", TRAIN.replace(',', '\t').replace("\"c\td\"", "cd"));
    CsvReader.Fitted fitted =
        CsvReader.builder()
            .separator('\t')
            .label("clicked")
            .categorical("user")
            .minCount(2)
            .build()
            .fit(train);
    assertEquals(2, fitted.size("user"));
    ClickData d = fitted.read(train);
    assertEquals(1, d.id(0, 0));
    assertEquals(0, d.id(1, 0));
  }

  @Test
  void badInputNamesFileLineAndColumn() throws IOException {
    CsvReader csv =
        CsvReader.builder().label("clicked").categorical("user").numeric("price").build();
    check(csv, "clicked,user,price\n1,u,2\n1,u\n", ":3: expected 3 columns", -1);
    check(csv, "clicked,user,price\n1,u,2\nyes,u,2\n", ":3: field 0: the label must be", 0);
    check(csv, "clicked,user,price\n1,u,\n", ":2: field 2: expected a finite number, got \"\"", 2);
    check(csv, "clicked,user,price\n1,\"u,2\n", ":2: field 1: a quoted value is not closed", 1);
    check(csv, "clicked,user\n1,u\n", ":1: no column \"price\"", -1);
    check(
        csv,
        "clicked,user,price,user\n1,u,2,v\n",
        ":1: field 3: column \"user\" appears twice in the header (columns 1 and 3)",
        3);
    check(csv, "", ": the file is empty", -1);
    check(
        csv,
        "clicked,user,price\n1," + "u".repeat((1 << 20) + 1) + ",2\n",
        ":2: the line is longer than 1048576 characters",
        -1);
    check(csv, "clicked,user,price\n", ": the file holds a header and no rows", -1);
  }

  @Test
  void theLabelColumnCannotAlsoBeAFeature() {
    // It would hand the model the answer: every row's label among its inputs.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvReader.builder().label("clicked").categorical("clicked").build());
    assertTrue(e.getMessage().contains("\"clicked\" is the label"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CsvReader.builder().label("clicked").categorical("u").numeric("clicked").build());
  }

  private void check(CsvReader csv, String text, String message, int field) throws IOException {
    Path f = write("bad.csv", text);
    DataFormatException e = assertThrows(DataFormatException.class, () -> csv.fit(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertEquals(field, e.field());
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
