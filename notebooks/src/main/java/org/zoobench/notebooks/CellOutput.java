package org.zoobench.notebooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** One entry of a code cell's outputs, in nbformat 4's three kinds. */
public sealed interface CellOutput {

    ObjectNode toJson(ObjectMapper json, int executionCount);

    /** Text the cell printed, {@code name} being {@code stdout} or {@code stderr}. */
    record Stream(String name, String text) implements CellOutput {
        @Override
        public ObjectNode toJson(ObjectMapper json, int executionCount) {
            ObjectNode node = output(json, "stream");
            node.put("name", name);
            node.set("text", lines(json, text));
            return node;
        }
    }

    /** Something shown with {@code display(...)}: MIME type to content (base64 for images). */
    record Display(Map<String, String> data) implements CellOutput {
        @Override
        public ObjectNode toJson(ObjectMapper json, int executionCount) {
            return withData(output(json, "display_data"), json, data);
        }
    }

    /** The value of the cell's last expression, as Jupyter shows it in {@code Out[n]}. */
    record Result(Map<String, String> data) implements CellOutput {
        @Override
        public ObjectNode toJson(ObjectMapper json, int executionCount) {
            ObjectNode node = output(json, "execute_result");
            node.put("execution_count", executionCount);
            return withData(node, json, data);
        }
    }

    /** A new output of one of nbformat's {@code output_type}s, which comes first in each. */
    private static ObjectNode output(ObjectMapper json, String outputType) {
        ObjectNode node = json.createObjectNode();
        node.put("output_type", outputType);
        return node;
    }

    /** What displayed data and results both end with: the MIME bundle and its (empty) metadata. */
    private static ObjectNode withData(ObjectNode output, ObjectMapper json, Map<String, String> data) {
        output.set("data", mimeBundle(json, data));
        output.putObject("metadata");
        return output;
    }

    private static ObjectNode mimeBundle(ObjectMapper json, Map<String, String> data) {
        ObjectNode node = json.createObjectNode();
        data.forEach((mime, content) -> {
            if (mime.startsWith("text/")) {
                node.set(mime, lines(json, content));
            } else {
                node.put(mime, content);
            }
        });
        return node;
    }

    /** Jupyter's multi-line string form: a list of lines, each but the last ending in a newline. */
    private static ArrayNode lines(ObjectMapper json, String text) {
        ArrayNode array = json.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            array.add(text.substring(start, end));
            start = end;
        }
        return array;
    }
}
