package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.zoobench.zoo.UserInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A results directory:
 * <pre>
 *   runs/&lt;run id&gt;/record.json      the full record (written last: its presence marks the run finished)
 *   runs/&lt;run id&gt;/predictions.csv  test-set answers, for intervals and paired comparisons
 *   runs/&lt;run id&gt;/model.zip        the trained network (DL4J ModelSerializer)
 *   results.csv, results.jsonl        one flat row per finished run, append-only
 *   suite.json                        what suite (if any) wrote the directory
 * </pre>
 * Every file is written atomically, so a kill at any moment leaves only complete files behind.
 */
public final class ResultsStore {

    public static final String RECORD = "record.json";
    public static final String PREDICTIONS = "predictions.csv";
    public static final String MODEL = "model.zip";
    public static final String CSV = "results.csv";
    public static final String JSONL = "results.jsonl";
    public static final String SUITE = "suite.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private ResultsStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) a directory for writing results; an unwritable one is a one-line user error. */
    public static ResultsStore openForWriting(Path dir) {
        try {
            Files.createDirectories(dir.resolve("runs"));
            Path probe = Files.createTempFile(dir, ".probe", AtomicFiles.TEMP_SUFFIX);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserInputException("cannot write results to '" + dir + "' (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); choose another with --results DIR");
        }
        return new ResultsStore(dir);
    }

    /** Opens an existing results directory for reading. */
    public static ResultsStore openForReading(Path dir) {
        if (!Files.isDirectory(dir.resolve("runs"))) {
            throw new UserInputException("'" + dir + "' holds no ZooBench results (no runs/ directory)");
        }
        return new ResultsStore(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path runDir(String runId) {
        return dir.resolve("runs").resolve(runId);
    }

    public boolean isFinished(String runId) {
        return Files.isRegularFile(runDir(runId).resolve(RECORD));
    }

    public Optional<RunRecord> find(String runId) {
        return isFinished(runId) ? Optional.of(readRecord(runDir(runId).resolve(RECORD))) : Optional.empty();
    }

    /**
     * Saves a finished (or diverged) run: predictions and model first, the record last, then its row in the
     * CSV and JSON-lines files.
     */
    public void save(RunRecord record, Predictions predictions, AtomicFiles.Writer model) {
        Path run = runDir(record.runId());
        if (predictions != null) {
            predictions.save(run.resolve(PREDICTIONS));
        }
        if (model != null) {
            AtomicFiles.write(run.resolve(MODEL), model);
        }
        try {
            AtomicFiles.writeString(run.resolve(RECORD), PRETTY.writeValueAsString(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        appendRows(List.of(record));
    }

    /** Adds to the CSV and JSON-lines files the rows of saved runs they lack (after a kill between the two). */
    public void reconcile() {
        Set<String> listed = listedRunIds();
        appendRows(records().stream().filter(r -> !listed.contains(r.runId())).toList());
    }

    private void appendRows(List<RunRecord> records) {
        Set<String> listed = listedRunIds();
        List<RunRecord> missing = records.stream().filter(r -> !listed.contains(r.runId())).toList();
        if (missing.isEmpty()) {
            return;
        }
        StringBuilder csv = new StringBuilder();
        StringBuilder jsonl = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT)) {
            if (!Files.exists(dir.resolve(CSV))) {
                printRow(printer, ResultRow.COLUMNS);
            }
            for (RunRecord r : missing) {
                Map<String, Object> row = ResultRow.of(r);
                printRow(printer, row.values());
                jsonl.append(JSON.writeValueAsString(row)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.append(dir.resolve(JSONL), jsonl.toString());
        AtomicFiles.append(dir.resolve(CSV), csv.toString());
    }

    /**
     * One CSV line, value by value: commons-csv's printRecord needs a newer commons-io than the one DL4J puts on
     * the class path.
     */
    private static void printRow(CSVPrinter printer, Iterable<?> values) throws IOException {
        for (Object value : values) {
            printer.print(value);
        }
        printer.println();
    }

    private Set<String> listedRunIds() {
        Set<String> ids = new HashSet<>();
        Path jsonl = dir.resolve(JSONL);
        if (!Files.exists(jsonl)) {
            return ids;
        }
        try {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    ids.add(JSON.readTree(line).path("run_id").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** Every saved run, oldest first. */
    public List<RunRecord> records() {
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            runs.map(r -> r.resolve(RECORD)).filter(Files::isRegularFile).forEach(f -> records.add(readRecord(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records.sort(Comparator.comparing(RunRecord::finishedAt).thenComparing(RunRecord::runId));
        return records;
    }

    public Predictions predictions(String runId) {
        return Predictions.load(runDir(runId).resolve(PREDICTIONS));
    }

    public Path modelFile(String runId) {
        return runDir(runId).resolve(MODEL);
    }

    public void writeSuiteInfo(SuiteInfo info) {
        try {
            AtomicFiles.writeString(dir.resolve(SUITE), PRETTY.writeValueAsString(info));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<SuiteInfo> suiteInfo() {
        Path file = dir.resolve(SUITE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), SuiteInfo.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunRecord readRecord(Path file) {
        try {
            return JSON.readValue(file.toFile(), RunRecord.class);
        } catch (IOException e) {
            throw new UserInputException("cannot read run record " + file + ": " + e.getMessage(), e);
        }
    }

    public static String toJson(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
