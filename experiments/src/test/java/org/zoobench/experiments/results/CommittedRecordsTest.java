package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every record committed under experiments/results/ must read into the typed config and record, recompute the run
 * id of its folder, and write back the same JSON: a rerun of its suite then finds the run finished.
 */
class CommittedRecordsTest {

    /** Surefire runs in the module's folder. */
    private static final Path COMMITTED = Path.of("results");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCommittedRecordKeepsItsRunIdAndJson() throws IOException {
        List<Path> records;
        try (Stream<Path> files = Files.walk(COMMITTED)) {
            records = files.filter(f -> f.getFileName().toString().equals(ResultsStore.RECORD)).sorted().toList();
        }
        assertFalse(records.isEmpty(), "no record.json under " + COMMITTED.toAbsolutePath());
        for (Path file : records) {
            RunRecord record = ResultsStore.readRecord(file);
            String folder = file.getParent().getFileName().toString();
            assertEquals(folder, record.config().runId(), file + ": run id recomputed from its config");
            assertEquals(folder, record.runId(), file + ": run id recorded");
            JsonNode committed = JSON.readTree(file.toFile());
            assertEquals(committed.get("config").toString(), JSON.writeValueAsString(record.config()),
                    file + ": config written back");
            ObjectNode written = (ObjectNode) JSON.readTree(ResultsStore.toJson(record));
            // fields added to records since (convergedAtEpoch) are written as null; none other may differ
            written.properties().removeIf(field -> field.getValue().isNull() && !committed.has(field.getKey()));
            assertEquals(committed, written, file + ": record written back");
        }
    }
}
