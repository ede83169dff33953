package org.zoobench.benchmarks;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole harness once, as small as it goes: LeNet-5 at batch 2 (inference and training), the peak sgemm and one
 * convolution through both implementations, in-process (no forks), one short iteration each. Real figures come
 * from the documented command, not from here.
 */
class BenchHarnessSmokeTest {

    @TempDir
    Path out;

    @Test
    void runsEndToEndAndWritesSaneCsv() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = BenchMain.run(List.of("run", "--models", "lenet5", "--batches", "2", "--layer-cases", "lenet5-c3",
                "--forks", "0", "--warmup", "1", "--iterations", "1", "--iteration-ms", "200", "--peak-n", "256",
                "--out", out.toString(), "--command", "smoke test"),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, exit);

        for (String file : List.of("jmh-peak.json", "jmh-models.json", "jmh-layers-stock.json",
                "jmh-layers-native.json", "results.json", "results.md", "models.csv", "layers.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }

        List<CSVRecord> models = read(out.resolve("models.csv"));
        assertEquals(1, models.size());
        CSVRecord lenet = models.get(0);
        assertEquals("lenet5", lenet.get("model"));
        assertEquals("2", lenet.get("infer_batch_size"));
        assertEquals("2", lenet.get("train_batch_size"));
        assertEquals("ok", lenet.get("infer_status"));
        assertEquals("ok", lenet.get("train_status"));
        assertEquals("61706", lenet.get("params"));
        assertTrue(number(lenet, "infer_samples_per_sec") > 0);
        assertTrue(number(lenet, "train_samples_per_sec") > 0);
        // a training step does the forward pass and more: it cannot be faster than inference by much
        assertTrue(number(lenet, "train_step_time") > 0.5 * number(lenet, "infer_step_time"));
        assertTrue(number(lenet, "infer_p50_ms") <= number(lenet, "infer_p99_ms"));
        // LeNet-5 is about 0.42 MMACs per 28x28 image
        double gmacs = number(lenet, "infer_gmacs");
        assertTrue(gmacs > 0.0003 && gmacs < 0.001, "infer_gmacs " + gmacs);
        assertTrue(number(lenet, "infer_gflops") > 0);
        double percent = number(lenet, "infer_pct_peak");
        assertTrue(percent > 0 && percent < 100, "% of peak " + percent);
        assertTrue(number(lenet, "peak_sgemm_gflops") > 0.1);
        assertEquals("cpu", lenet.get("backend"));

        List<CSVRecord> layers = read(out.resolve("layers.csv"));
        assertEquals(4, layers.size(), "stock and native, forward and backward");
        for (CSVRecord r : layers) {
            assertEquals("lenet5-c3", r.get("layer"));
            assertTrue(number(r, "ms") > 0 && number(r, "gflops") > 0, r.toString());
        }

        String table = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("| lenet5 | 1x28x28 | 2 |"), table);

        ByteArrayOutputStream compared = new ByteArrayOutputStream();
        assertEquals(0, BenchMain.run(List.of("compare", out.toString(), out.resolve("results.json").toString()),
                new PrintStream(compared, true, StandardCharsets.UTF_8), System.err));
        assertTrue(compared.toString(StandardCharsets.UTF_8).contains("| lenet5 | 2 |"));
        assertTrue(compared.toString(StandardCharsets.UTF_8).contains("1.00x"));
    }

    private static List<CSVRecord> read(Path csv) throws Exception {
        try (CSVParser parser = CSVParser.parse(csv, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            return parser.getRecords();
        }
    }

    private static double number(CSVRecord r, String column) {
        return Double.parseDouble(r.get(column));
    }
}
