package org.zoobench.notebooks;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jupyter notebook (nbformat 4) held as its JSON tree, so that writing outputs back keeps every other field
 * (metadata, markdown, ids) exactly as it was.
 */
public final class Notebook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final ObjectNode root;

    private Notebook(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    public static Notebook read(Path path) {
        try {
            JsonNode tree = JSON.readTree(path.toFile());
            if (!(tree instanceof ObjectNode object) || !(object.get("cells") instanceof ArrayNode)) {
                throw new IllegalArgumentException(path + " is not a Jupyter notebook: no \"cells\" array");
            }
            return new Notebook(path, object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notebook " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    public String name() {
        return path.getFileName().toString();
    }

    /** Every cell in file order; {@link Cell#number()} is 1-based, as a reader counts them. */
    public List<Cell> cells() {
        ArrayNode cells = (ArrayNode) root.get("cells");
        List<Cell> result = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            result.add(new Cell(i + 1, (ObjectNode) cells.get(i)));
        }
        return result;
    }

    /** Writes the notebook back in Jupyter's own layout (one-space indent, trailing newline). */
    public void write() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter(" ", "\n"))
                .withArrayIndenter(new DefaultIndenter(" ", "\n"));
        try {
            String text = JSON.writer(printer).writeValueAsString(root)
                    .replace("\" : ", "\": ") + "\n";
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notebook " + path, e);
        }
    }

    /** One cell of the notebook. */
    public static final class Cell {
        private final int number;
        private final ObjectNode node;

        Cell(int number, ObjectNode node) {
            this.number = number;
            this.node = node;
        }

        public int number() {
            return number;
        }

        public boolean isCode() {
            return "code".equals(node.path("cell_type").asText());
        }

        /** The source as one string; nbformat stores it either as a string or as a list of lines. */
        public String source() {
            JsonNode source = node.path("source");
            if (source.isArray()) {
                StringBuilder text = new StringBuilder();
                source.forEach(line -> text.append(line.asText()));
                return text.toString();
            }
            return source.asText();
        }

        /** Replaces the cell's outputs with {@code outputs} and records its execution count. */
        void setOutputs(int executionCount, List<CellOutput> outputs) {
            node.put("execution_count", executionCount);
            ArrayNode array = node.putArray("outputs");
            for (CellOutput output : outputs) {
                array.add(output.toJson(JSON, executionCount));
            }
        }
    }
}
