package org.zoobench.benchmarks;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.layers.LayerImpl;
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

/** {@code bench --input}: a model measured at an input other than its published one, recorded as such. */
class BenchInputTest {

    @AfterEach
    void clearInput() {
        System.clearProperty(ModelBenchmark.INPUT_PROPERTY);
    }

    @Test
    void lenetAtThePapersOwn32x32(@TempDir Path out) throws Exception {
        BenchPlan plan = new BenchPlan(List.of("lenet5"), List.of(2), "1x32x32", List.of(), false, List.of(), false,
                "cpu", LayerImpl.FAST, "table", out, "./zoobench bench lenet5 --input 1x32x32 --batch 2", 64,
                BenchHarnessSmokeTest.IN_PROCESS);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertEquals(0, BenchMain.run(plan, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err));

        CSVRecord row;
        try (CSVParser parser = CSVParser.parse(out.resolve("models.csv"), StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            row = parser.getRecords().get(0);
        }
        assertEquals("1x32x32", row.get("input"));
        assertEquals("ok", row.get("infer_status"));
        assertEquals("ok", row.get("train_status"));
        // the cost and size of the model built at 32x32, not at its published 28x28
        ModelEntry lenet = ModelRegistry.get("lenet5");
        ModelProfile at32 = ModelProfile.of(lenet, plan.options(lenet));
        assertTrue(at32.macs() > ModelProfile.of(lenet, lenet.defaultOptions()).macs());
        assertEquals(at32.macs() / 1e9, Double.parseDouble(row.get("infer_gmacs")), 1e-6);
        assertEquals(String.valueOf(at32.trainableParams()), row.get("params"));
        String table = Files.readString(out.resolve("results.md"));
        assertTrue(table.contains("| lenet5 | 1x32x32 | 2 |"), table);
        assertTrue(table.contains("Command: `./zoobench bench lenet5 --input 1x32x32 --batch 2`"), table);
    }
}
