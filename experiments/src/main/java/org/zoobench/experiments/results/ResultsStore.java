package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.zoobench.UserInputException;
import org.zoobench.zoo.Numbers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A results directory:
 * <pre>
 *   runs/&lt;run id&gt;/record.json      the full record (written last: its presence marks the run finished)
 *   runs/&lt;run id&gt;/predictions.csv  test-set answers, for intervals and paired comparisons
 *   runs/&lt;run id&gt;/model.zip        the trained network (DL4J ModelSerializer)
 *   runs/&lt;run id&gt;/failure.txt      why the run could not be trained (a Spark task failed past its retries)
 *   results.csv, results.jsonl        one flat row per finished run, append-only
 *   suite.json                        what suite (if any) wrote the directory
 * </pre>
 * Every file is written atomically, so a kill at any moment leaves only complete files behind.
 */
public final class ResultsStore implements RunSink {

    public static final String RECORD = "record.json";
    public static final String PREDICTIONS = "predictions.csv";
    public static final String MODEL = "model.zip";
    public static final String FAILURE = "failure.txt";
    public static final String CSV = "results.csv";
    public static final String JSONL = "results.jsonl";
    public static final String SUITE = "suite.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<String> repairs = new ArrayList<>();

    private ResultsStore(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating if needed) a directory for writing results; an unwritable one is a one-line user error, and
     * leaves behind none of the directories it created.
     */
    public static ResultsStore openForWriting(Path dir) {
        if (dir.toString().isBlank()) {
            throw new UserInputException("the results directory is empty; give one with --results DIR");
        }
        // Lexically, as the shell reads it: the OS cannot resolve "results/../../x" while results/ does not exist.
        Path normal = dir.normalize();
        if (normal.toAbsolutePath().getParent() == null) {
            throw new UserInputException("'" + dir + "' is the file system's root: give the results a directory of "
                    + "their own with --results DIR");
        }
        Path runs = normal.toAbsolutePath().resolve("runs");
        Path firstCreated = null;
        for (Path p = runs; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        try {
            Files.createDirectories(runs);
            Path probe = Files.createTempFile(normal, ".probe", AtomicFiles.TEMP_SUFFIX);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            removeEmpty(runs, firstCreated);
            throw new UserInputException("cannot write results to '" + dir + "' (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); choose another with --results DIR");
        }
        ResultsStore store = new ResultsStore(normal);
        try {
            store.checkWritable(List.of());
        } catch (UserInputException e) {
            removeEmpty(runs, firstCreated);
            throw e;
        }
        return store;
    }

    /** Deletes {@code deepest} and its parents up to {@code top}, as long as they are empty directories. */
    private static void removeEmpty(Path deepest, Path top) {
        if (top == null) {
            return;
        }
        for (Path p = deepest; p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty, or not ours to delete
            }
        }
    }

    /**
     * Fails with one line if anything the given runs (and the report after them) will write cannot be written:
     * the results directory, runs/, the runs' own directories and every file already in them. Called before
     * training, so that a run is never trained only to be lost when it is saved. Runs not in the list (finished
     * ones) are not written and not checked.
     */
    public void checkWritable(Collection<String> runIds) {
        Path runs = dir.resolve("runs");
        // What this store writes: the directory's own files, plots/, runs/ and the given runs; nothing else in it
        // (a directory chosen for results may hold other things, however many).
        List<Path> written = new ArrayList<>(List.of(dir.resolve("plots")));
        runIds.forEach(id -> written.add(runs.resolve(id)));
        try (Stream<Path> top = Files.list(dir);
             Stream<Path> below = written.stream().filter(Files::isDirectory).flatMap(ResultsStore::walk)) {
            Optional<Path> readOnly = Stream.concat(Stream.of(dir),
                            Stream.concat(top.filter(p -> !Files.isDirectory(p) || p.equals(runs)), below))
                    .filter(ResultsStore::isReadOnly)
                    .findFirst();
            if (readOnly.isPresent()) {
                throw new UserInputException("cannot write results to '" + dir + "': " + readOnly.get()
                        + " is read-only; make it writable (chmod u+w), or write the results elsewhere");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UserInputException("cannot check results directory '" + dir + "': " + e.getMessage()
                    + "; choose another with --results DIR");
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Not writable by this process, or with no write permission bit at all: a file someone made read-only on
     * purpose (chmod a-w) is left alone even by a process that could override that, such as root's.
     */
    public static boolean isReadOnly(Path p) {
        if (!Files.isWritable(p)) {
            return true;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
            return !mode.contains(PosixFilePermission.OWNER_WRITE) && !mode.contains(PosixFilePermission.GROUP_WRITE)
                    && !mode.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return false; // no POSIX modes here: isWritable said it all
        }
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

    @Override
    public Path runDir(String runId) {
        return dir.resolve("runs").resolve(runId);
    }

    /** Whether the run has a record that can be read: a damaged one is trained again. */
    public boolean isFinished(String runId) {
        return find(runId).isPresent();
    }

    public Optional<RunRecord> find(String runId) {
        return readable(runDir(runId).resolve(RECORD));
    }

    /** The record in {@code file}, or empty when there is none or it is damaged (noted for {@link #repairs()}). */
    private Optional<RunRecord> readable(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            RunRecord record = JSON.readValue(file.toFile(), RunRecord.class);
            String folder = file.getParent().getFileName().toString();
            if (record == null || record.runId() == null || record.config() == null || record.finishedAt() == null) {
                throw new IOException("it is not a whole run record");
            }
            if (!record.runId().equals(folder)) {
                throw new IOException("it is the record of run " + record.runId() + ", not of " + folder);
            }
            return Optional.of(record);
        } catch (IOException e) {
            String note = "could not use " + file + " (" + firstLine(e) + "): its run is left out, and a rerun "
                    + "trains it again";
            if (!repairs.contains(note)) {
                repairs.add(note);
            }
            return Optional.empty();
        }
    }

    private static String firstLine(Exception e) {
        String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }

    /**
     * Saves a finished (or diverged) run: predictions and model first, the record last, then its row in the
     * CSV and JSON-lines files (by {@link #reconcile()}, which also adds any other saved run's row they lack).
     */
    @Override
    public void save(RunRecord record, Predictions predictions, AtomicFiles.Writer model) {
        Path run = runDir(record.runId());
        try {
            if (predictions != null) {
                predictions.save(run.resolve(PREDICTIONS));
            }
            if (model != null) {
                AtomicFiles.write(run.resolve(MODEL), model);
            }
            AtomicFiles.writeString(run.resolve(RECORD), PRETTY.writeValueAsString(record));
            Files.deleteIfExists(run.resolve(FAILURE));
        } catch (IOException | UncheckedIOException e) {
            // A run without its record is not finished: what was written of it goes, and a rerun trains it again.
            for (String file : List.of(RECORD, MODEL, PREDICTIONS)) {
                try {
                    Files.deleteIfExists(run.resolve(file));
                } catch (IOException ignored) {
                    // the rerun overwrites it
                }
            }
            removeEmpty(run, run);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserInputException("cannot save run " + record.runId() + " in " + dir + " ("
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + "); "
                    + "nothing of it was kept: free some space (or fix the directory) and rerun to train it again", e);
        }
        reconcile();
    }

    /**
     * Writes a saved run's record again, with a measurement added after it was saved (the rows of results.csv and
     * results.jsonl hold nothing that changes).
     */
    public void saveRecord(RunRecord record) {
        if (!isFinished(record.runId())) {
            throw new IllegalStateException("run " + record.runId() + " is not saved in " + dir);
        }
        try {
            AtomicFiles.writeString(runDir(record.runId()).resolve(RECORD), PRETTY.writeValueAsString(record));
        } catch (IOException | UncheckedIOException e) {
            throw new UserInputException("cannot write " + runDir(record.runId()).resolve(RECORD) + " ("
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + "); it is as it was", e);
        }
    }

    /** Overrides the free space of the results directory's file system, in bytes (tests use it). */
    public static final String SPACE_PROPERTY = "zoobench.diskAvailable";

    /** About what one run saves: model.zip (weights and up to two updater states), predictions.csv, record.json. */
    public static long runBytes(long params, long testExamples) {
        return 12 * params + 16 * testExamples + 64 * 1024;
    }

    /**
     * Fails with one line, before anything is created, when the file system {@code dir} is (or will be) on has less
     * free space than the given runs not yet finished there need, at {@code bytesPerRun} each.
     */
    public static void checkSpace(Path dir, List<String> runIds, long bytesPerRun) {
        Path runsDir = dir.toAbsolutePath().normalize().resolve("runs");
        int runs = (int) runIds.stream().filter(id -> !Files.isRegularFile(runsDir.resolve(id).resolve(RECORD))).count();
        long needed = runs * bytesPerRun;
        Path existing = runsDir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free;
        try {
            String override = System.getProperty(SPACE_PROPERTY);
            free = override != null ? Long.parseLong(override) : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException | NullPointerException e) {
            return; // a file system that does not say: the save reports a full disk if it comes to that
        }
        if (runs > 0 && needed > free) {
            throw new UserInputException(String.format(Locale.ROOT, "%s has %s free, and %d run%s need%s about %s "
                            + "(model.zip, predictions.csv, record.json); free some space or choose another --results",
                    dir, Numbers.bytes(free), runs, runs == 1 ? "" : "s", runs == 1 ? "s" : "", Numbers.bytes(needed)));
        }
    }

    /**
     * Notes why a run could not be trained (its Spark task failed as many times as Spark allows). The run stays
     * unfinished, so a rerun trains it again; saving it then removes the note.
     */
    public void saveFailure(String runId, String reason) {
        AtomicFiles.writeString(runDir(runId).resolve(FAILURE), reason + "\n");
    }

    /**
     * Brings results.csv and results.jsonl in line with the saved runs: adds the rows a kill kept from being
     * appended, and replaces lines that are not whole rows (cut off by a full disk, or garbled by another tool)
     * with their runs' rows rebuilt from record.json. Each repair is reported by {@link #repairs()}.
     */
    public void reconcile() {
        List<Map<String, Object>> rows = records().stream().map(ResultRow::of).toList();
        syncRows(JSONL, rows, false);
        syncRows(CSV, rows, true);
    }

    /** One line per repair made since the last call, for the user. */
    public List<String> repairs() {
        List<String> made = List.copyOf(repairs);
        repairs.clear();
        return made;
    }

    /** Rewrites one rows file atomically, if it lacks any of {@code rows} or has lines that are not whole rows. */
    private void syncRows(String name, List<Map<String, Object>> rows, boolean csv) {
        Path file = dir.resolve(name);
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        StringBuilder kept = new StringBuilder();
        Set<String> listed = new HashSet<>();
        List<Integer> badLines = new ArrayList<>();
        String header = csv ? csvLine(ResultRow.COLUMNS) : null;
        // Written by a version with other columns: every row is rebuilt under these ones.
        boolean olderHeader = csv && !text.startsWith(header) && text.startsWith(ResultRow.COLUMNS.get(0) + ",");
        if (olderHeader) {
            text = "";
        }
        if (csv) {
            kept.append(header);
        }
        int lineNumber = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end + 1);
            start = end < 0 ? text.length() : end + 1;
            lineNumber++;
            if (csv && lineNumber == 1 && line.equals(header)) {
                continue;
            }
            // Every row is written whole with its line break: a line without one was cut off.
            String runId = line.endsWith("\n") ? (csv ? csvRunId(line) : jsonRunId(line)) : null;
            if (runId == null) {
                if (!line.isBlank()) {
                    badLines.add(lineNumber);
                }
            } else {
                listed.add(runId);
                kept.append(line);
            }
        }
        int restored = 0;
        for (Map<String, Object> row : rows) {
            if (listed.add((String) row.get("run_id"))) {
                kept.append(csv ? csvLine(row.values()) : jsonLine(row));
                restored++;
            }
        }
        if (restored == 0 && badLines.isEmpty() && !olderHeader) {
            return;
        }
        AtomicFiles.writeString(file, kept.toString());
        if (olderHeader) {
            repairs.add("rewrote " + file + " with this version's columns (it had an older header); every row "
                    + "rebuilt from the runs' " + RECORD);
        }
        if (!badLines.isEmpty()) {
            repairs.add(String.format(Locale.ROOT, "repaired %s: line%s %s %s cut off or garbled (by a crash or"
                            + " a full disk?) and %s dropped; %d row%s rebuilt from the runs' %s", file,
                    badLines.size() == 1 ? "" : "s", badLines.stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")), badLines.size() == 1 ? "was" : "were",
                    badLines.size() == 1 ? "was" : "were", restored, restored == 1 ? "" : "s", RECORD));
        }
    }

    private static String jsonRunId(String line) {
        try {
            String id = JSON.readTree(line).path("run_id").asText("");
            return id.isEmpty() ? null : id;
        } catch (IOException e) {
            return null;
        }
    }

    private static String csvRunId(String line) {
        try (CSVParser parser = CSVParser.parse(line, CSVFormat.DEFAULT)) {
            List<CSVRecord> parsed = parser.getRecords();
            if (parsed.size() != 1 || parsed.get(0).size() != ResultRow.COLUMNS.size()) {
                return null;
            }
            String id = parsed.get(0).get(ResultRow.COLUMNS.indexOf("run_id"));
            return id.isEmpty() ? null : id;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static String jsonLine(Map<String, Object> row) {
        try {
            return JSON.writeValueAsString(row) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One CSV line, value by value: commons-csv's printRecord needs a newer commons-io than the one DL4J puts on
     * the class path.
     */
    private static String csvLine(Iterable<?> values) {
        StringBuilder line = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(line, CSVFormat.DEFAULT)) {
            for (Object value : values) {
                printer.print(value);
            }
            printer.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    /** Every saved run whose record can be read, oldest first; a damaged record is noted ({@link #repairs()}). */
    public List<RunRecord> records() {
        List<RunRecord> records = new ArrayList<>();
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            runs.map(r -> r.resolve(RECORD)).map(this::readable).flatMap(Optional::stream).forEach(records::add);
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

    /**
     * What suite wrote the directory; empty when none did, or when {@value #SUITE} is damaged (noted for
     * {@link #repairs()}: a rerun of the suite writes it again, losing only its earlier sessions' timings).
     */
    public Optional<SuiteInfo> suiteInfo() {
        Path file = dir.resolve(SUITE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SuiteInfo info = JSON.readValue(file.toFile(), SuiteInfo.class);
            if (info == null || info.suite() == null) {
                throw new IOException("it names no suite");
            }
            return Optional.of(info);
        } catch (IOException e) {
            String note = "could not use " + file + " (" + firstLine(e) + "): the next `zoobench run SUITE --results "
                    + dir + "` writes it again, keeping the finished runs (its earlier sessions' timings are lost); "
                    + "until then reports take the suite from the runs' records";
            if (!repairs.contains(note)) {
                repairs.add(note);
            }
            return Optional.empty();
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
