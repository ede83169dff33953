package org.zoobench.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.tools.ToolProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private NotebookExecutor executor(boolean writeOutputs) {
        return new NotebookExecutor(System.getProperty("java.class.path"), writeOutputs,
                new PrintStream(progress, true));
    }

    /** Writes a notebook whose cells are the given sources; a source starting with "md:" is a markdown cell. */
    private Path notebook(String name, String... cells) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("cells");
        for (String source : cells) {
            ObjectNode cell = array.addObject();
            boolean markdown = source.startsWith("md:");
            cell.put("cell_type", markdown ? "markdown" : "code");
            cell.putObject("metadata");
            ArrayNode lines = cell.putArray("source");
            source.substring(markdown ? 3 : 0).lines().forEach(l -> lines.add(l + "\n"));
            if (!markdown) {
                cell.putNull("execution_count");
                cell.putArray("outputs");
            }
        }
        root.putObject("metadata");
        root.put("nbformat", 4);
        root.put("nbformat_minor", 5);
        Path path = dir.resolve(name);
        JSON.writeValue(path.toFile(), root);
        return path;
    }

    @Test
    void runsCellsInOrderAndRecordsPrintedTextAndLastExpression() throws IOException {
        Path path = notebook("ok.ipynb",
                "md:# Title",
                "import java.util.stream.*;\nint square(int x) { return x * x; }",
                "int total = IntStream.rangeClosed(1, 3).map(i -> square(i)).sum();\nSystem.out.println(\"total \" + total);\ntotal * 2",
                "System.out.print(\"no result\");",
                "String nothing = null;\nnothing");

        List<NotebookExecutor.CellRun> runs = executor(false).execute(path);

        assertEquals(List.of(2, 3, 4, 5), runs.stream().map(NotebookExecutor.CellRun::number).toList());
        assertEquals(List.of(), runs.get(0).outputs());
        assertEquals(List.of(new CellOutput.Stream("stdout", "total 14\n"),
                new CellOutput.Result(java.util.Map.of("text/plain", "28"))), runs.get(1).outputs());
        assertEquals(List.of(new CellOutput.Stream("stdout", "no result")), runs.get(2).outputs());
        assertEquals(List.of(), runs.get(3).outputs());
        assertTrue(progress.toString().contains("ok.ipynb: cell 3 ran in"), progress.toString());
    }

    @Test
    void compileErrorNamesNotebookCellLineAndMessage() throws IOException {
        Path path = notebook("broken.ipynb", "int a = 1;", "md:text", "int b = 2;\nint c = a + missing;");

        NotebookExecutionException e = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(path));

        assertEquals("broken.ipynb", e.notebook());
        assertEquals(3, e.cell());
        assertTrue(e.getMessage().startsWith("broken.ipynb, cell 3: line 2: compile error: cannot find symbol"),
                e.getMessage());
        assertTrue(e.getMessage().contains("int c = a + missing;"), e.getMessage());
    }

    @Test
    void exceptionInACellFailsTheRunWithItsTypeAndMessage() throws IOException {
        Path path = notebook("throws.ipynb", "int a = 1;",
                "void check(int n) { if (n > 0) throw new IllegalStateException(\"n was \" + n); }\n"
                        + "if (a > 0) {\n  System.out.println(a);\n  check(a);\n}");

        NotebookExecutionException e = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(path));

        assertEquals(2, e.cell());
        assertTrue(e.getMessage().startsWith("throws.ipynb, cell 2: line 4: java.lang.IllegalStateException: n was 1"),
                e.getMessage());
        assertTrue(progress.toString().contains("--- output of the failing cell ---\n1\n---\n"), progress.toString());
    }

    @Test
    void incompleteCodeAndUnresolvedDeclarationsFailAtTheirCell() throws IOException {
        Path incomplete = notebook("incomplete.ipynb", "for (int i = 0; i < 3; i++) {\n  System.out.println(i);");
        NotebookExecutionException e1 = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(incomplete));
        assertTrue(e1.getMessage().contains("cell 1: line 1: incomplete code"), e1.getMessage());

        Path unresolved = notebook("unresolved.ipynb", "int twice() { return 2 * undefinedValue(); }");
        NotebookExecutionException e2 = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(unresolved));
        assertTrue(e2.getMessage().contains("cell 1: unresolved references: twice needs method undefinedValue()"),
                e2.getMessage());
    }

    @Test
    void imageAsLastExpressionAndDisplayedImagesBecomePng() throws IOException {
        Path path = notebook("image.ipynb",
                "import java.awt.image.BufferedImage;\n"
                        + "BufferedImage small = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);\n"
                        + "display(new BufferedImage(8, 5, BufferedImage.TYPE_INT_RGB));\n"
                        + "display(\"| a |\\n|---|\\n| 1 |\", \"text/markdown\");\n"
                        + "small");

        List<CellOutput> outputs = executor(false).execute(path).get(0).outputs();

        assertEquals(3, outputs.size(), outputs.toString());
        CellOutput.Display shown = assertInstanceOf(CellOutput.Display.class, outputs.get(0));
        assertImage(shown.data().get("image/png"), 8, 5);
        CellOutput.Display table = assertInstanceOf(CellOutput.Display.class, outputs.get(1));
        assertEquals("| a |\n|---|\n| 1 |", table.data().get("text/markdown"));
        CellOutput.Result result = assertInstanceOf(CellOutput.Result.class, outputs.get(2));
        assertImage(result.data().get("image/png"), 4, 3);
        assertEquals("<image 4x3>", result.data().get("text/plain"));
    }

    private static void assertImage(String base64, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
    }

    @Test
    void classpathMagicIsHonouredRelativeToTheNotebook() throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src"));
        Files.writeString(sources.resolve("Greeter.java"),
                "package demo; public class Greeter { public static String hello() { return \"hello from a jar folder\"; } }");
        Path classes = Files.createDirectories(dir.resolve("lib/classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", classes.toString(), sources.resolve("Greeter.java").toString()));
        Path path = notebook("magic.ipynb", "int before = 1;\n%classpath lib/class*\nSystem.out.println(demo.Greeter.hello());");

        List<CellOutput> outputs = executor(false).execute(path).get(0).outputs();

        assertEquals(List.of(new CellOutput.Stream("stdout", "hello from a jar folder\n")), outputs);
    }

    @Test
    void magicsThatFetchDependenciesAreRejectedWithTheirName() throws IOException {
        Path line = notebook("maven.ipynb", "int a = 1;", "%maven org.example:lib:1.0");
        NotebookExecutionException e1 = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(line));
        assertTrue(e1.getMessage().startsWith("maven.ipynb, cell 2: magic %maven is not supported"), e1.getMessage());

        Path cell = notebook("pom.ipynb", "%%loadFromPOM\n<dependency></dependency>");
        NotebookExecutionException e2 = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(cell));
        assertTrue(e2.getMessage().startsWith("pom.ipynb, cell 1: cell magic '%%loadFromPOM' is not supported"),
                e2.getMessage());

        Path missing = notebook("missing.ipynb", "%jars no-such-dir/*.jar");
        NotebookExecutionException e3 = assertThrows(NotebookExecutionException.class,
                () -> executor(false).execute(missing));
        assertTrue(e3.getMessage().contains("%jars no-such-dir/*.jar matches nothing"), e3.getMessage());
    }

    @Test
    void writesOutputsBackOnlyWhenAskedAndOnlyAfterSuccess() throws IOException {
        Path path = notebook("write.ipynb", "md:# Title", "System.out.println(\"a\\nb\");\n40 + 2", "\"text\"");
        String before = Files.readString(path);

        executor(false).execute(path);
        assertEquals(before, Files.readString(path));

        executor(true).execute(path);
        JsonNode cells = JSON.readTree(path.toFile()).get("cells");
        assertEquals("# Title\n", cells.get(0).get("source").get(0).asText());
        JsonNode code = cells.get(1);
        assertEquals(1, code.get("execution_count").asInt());
        JsonNode stream = code.get("outputs").get(0);
        assertEquals("stream", stream.get("output_type").asText());
        assertEquals("[\"a\\n\",\"b\\n\"]", stream.get("text").toString());
        JsonNode result = code.get("outputs").get(1);
        assertEquals("execute_result", result.get("output_type").asText());
        assertEquals(1, result.get("execution_count").asInt());
        assertEquals("42", result.get("data").get("text/plain").get(0).asText());
        assertEquals(2, cells.get(2).get("execution_count").asInt());

        String written = Files.readString(path);
        Path failing = notebook("write.ipynb", "System.out.println(1);", "throw new RuntimeException(\"stop\");");
        String failingBefore = Files.readString(failing);
        assertThrows(NotebookExecutionException.class, () -> executor(true).execute(failing));
        assertEquals(failingBefore, Files.readString(failing));
        assertFalse(written.isEmpty());
    }

    @Test
    void snippetsShareThisJvmsClasses() throws IOException {
        Path path = notebook("shared.ipynb",
                "org.zoobench.notebooks.Display.class.getClassLoader() == ClassLoader.getSystemClassLoader()");

        List<CellOutput> outputs = executor(false).execute(path).get(0).outputs();

        assertEquals(List.of(new CellOutput.Result(java.util.Map.of("text/plain", "true"))), outputs);
    }
}
