package org.zoobench.benchmarks;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.device.CpuPeak;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.GitCommit;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole harness once, as small as it goes: LeNet-5 at batch 4 (inference and training, and training on two
 * data-parallel workers), the peak sgemm and one convolution through both implementations, in-process (no forks), one short iteration each. The memory budget is
 * set so that a training batch of 4 does not fit and 2 does: the step-down runs for real. Real figures come from
 * the documented command, not from here.
 */
class BenchHarnessSmokeTest {

    /** No forks, one short iteration of each stage. */
    static final BenchPlan.Timing IN_PROCESS = new BenchPlan.Timing(0, 1, 200, 1, 200);

    @TempDir
    Path out;

    @AfterEach
    void clearBudget() {
        System.clearProperty(MemoryBudget.PROPERTY);
    }

    @Test
    void runsEndToEndAndWritesSaneCsv() throws Exception {
        ModelEntry lenet = ModelRegistry.get("lenet5");
        ModelProfile profile = ModelProfile.of(lenet, lenet.defaultOptions());
        System.setProperty(MemoryBudget.PROPERTY, String.valueOf(MemoryBudget.estimate(profile, 2, true)));

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        BenchPlan plan = new BenchPlan(List.of("lenet5"), List.of(4), null, List.of(2), true, List.of("lenet5-c3"),
                false, "cpu", LayerImpl.FAST, "table", out, "smoke test", 256, IN_PROCESS);
        int exit = BenchMain.run(plan, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, exit);

        for (String file : List.of("jmh-peak.json", "jmh-models.json", "jmh-parallel.json", "jmh-layers-stock.json",
                "jmh-layers-native.json", "results.json", "results.md", "models.csv", "layers.csv", "parallel.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }

        assertEquals(GitCommit.atStart(), BenchResults.read(out.resolve("results.json")).commit(), "the code that ran");

        List<CSVRecord> models = read(out.resolve("models.csv"));
        assertEquals(1, models.size());
        CSVRecord row = models.get(0);
        assertEquals("lenet5", row.get("model"));
        assertEquals("4", row.get("requested_batch"));
        assertEquals("4", row.get("infer_batch_size"));
        assertEquals("", row.get("infer_oom_batches"));
        assertEquals("2", row.get("train_batch_size"), "stepped down from 4");
        assertEquals("4", row.get("train_oom_batches"));
        assertEquals("ok", row.get("infer_status"));
        assertEquals("ok", row.get("train_status"));
        assertEquals("61706", row.get("params"));
        assertTrue(number(row, "infer_samples_per_sec") > 0);
        assertTrue(number(row, "train_samples_per_sec") > 0);
        // a training step does the forward pass and more: it cannot be faster than inference by much
        assertTrue(number(row, "train_step_time") > 0.5 * number(row, "infer_step_time"));
        assertTrue(number(row, "infer_p50_ms") <= number(row, "infer_p99_ms"));
        // LeNet-5 is about 0.42 MMACs per 28x28 image
        double gmacs = number(row, "infer_gmacs");
        assertTrue(gmacs > 0.0003 && gmacs < 0.001, "infer_gmacs " + gmacs);
        assertTrue(number(row, "infer_gflops") > 0);
        // % of the theoretical FP32 peak, which nothing measured here can pass, the best sgemm included
        double theoretical = CpuPeak.ofThisMachine().orElseThrow().gflops();
        assertEquals(theoretical, number(row, "fp32_peak_gflops"), 0.05);
        assertEquals(100 * number(row, "infer_gflops") / theoretical, number(row, "infer_pct_peak"), 0.01);
        BenchResults saved = BenchResults.read(out.resolve("results.json"));
        double percent = saved.models().get(0).inference().percentOfPeak();
        assertTrue(percent > 0 && percent < 100, "% of peak " + percent);
        double sgemm = number(row, "peak_sgemm_gflops");
        assertTrue(sgemm > 0.1 && sgemm < theoretical, "best sgemm " + sgemm + " of " + theoretical);
        assertEquals(List.of(128, 256, 512), saved.peak().sizes(), "the plan's size, half and twice it");
        assertEquals("cpu-onednn", row.get("backend"));
        assertEquals(ConvPath.ONEDNN_DIRECT, row.get("conv_path"), "fast layers in float32 on the CPU backend");

        List<CSVRecord> parallel = read(out.resolve("parallel.csv"));
        assertEquals(1, parallel.size());
        CSVRecord step = parallel.get(0);
        assertEquals(List.of("lenet5", "4", "2", "averaging", "ok"), List.of(step.get("model"), step.get("batch_size"),
                step.get("workers"), step.get("worker_mode"), step.get("train_status")));
        assertTrue(number(step, "train_samples_per_sec") > 0);
        assertEquals("", step.get("speedup_over_one_worker"), "one worker ran at a stepped-down batch: no speed-up");

        List<CSVRecord> layers = read(out.resolve("layers.csv"));
        assertEquals(4, layers.size(), "stock and native, forward and backward");
        for (CSVRecord r : layers) {
            assertEquals("lenet5-c3", r.get("layer"));
            assertEquals(r.get("impl").equals("stock") ? ConvPath.IM2COL : "libnd4j conv2d (oneDNN)",
                    r.get("conv_path"));
            assertTrue(number(r, "ms") > 0 && number(r, "gflops") > 0, r.toString());
        }

        String table = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("| lenet5 | 1x28x28 | 4 (train OOM, ran 2) |"), table);
        assertTrue(table.contains("Out of memory: lenet5 training at batch 4, ran at 2 (estimated working set"), table);
        assertTrue(table.contains("| lenet5 | 4 | 2 | averaging | "), table);

        ByteArrayOutputStream compared = new ByteArrayOutputStream();
        assertEquals(0, BenchMain.compare(new BenchPlan.Comparison(out, out.resolve("results.json"), "table", null),
                new PrintStream(compared, true, StandardCharsets.UTF_8), System.err));
        assertTrue(compared.toString(StandardCharsets.UTF_8).contains("| lenet5 | 4 |"));
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
