package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plan the CLI hands the benchmark JVM: it arrives as it left, and says which options build each model. */
class BenchPlanTest {

    @Test
    void travelsAsJsonUnchanged(@TempDir Path tmp) throws Exception {
        BenchPlan plan = new BenchPlan(List.of("googlenet", "lenet5"), List.of(1, 32), "3x64x64", List.of(2),
                true, List.of("lenet5-c3"), true, "cuda", LayerImpl.STOCK, "csv", tmp.resolve("out dir"),
                "./zoobench bench googlenet lenet5 --input 3x64x64", 256, new BenchPlan.Timing(0, 1, 200, 1, 200))
                .withPeer(PyTorchPeer.NAME);
        Path file = tmp.resolve("plan.json");
        plan.write(file);
        assertEquals(plan, BenchPlan.read(file));

        BenchPlan.Comparison comparison = new BenchPlan.Comparison(tmp.resolve("cpu"), tmp.resolve("cuda"), "table",
                null);
        comparison.write(file);
        assertEquals(comparison, BenchPlan.Comparison.read(file));
    }

    @Test
    void batchesDefaultByPace(@TempDir Path tmp) {
        assertEquals(BenchPlan.DEFAULT_BATCHES, plan(false, null, tmp).batches());
        assertEquals(BenchPlan.QUICK_BATCHES, plan(true, null, tmp).batches());
        assertEquals(List.of(), plan(true, null, tmp).workers());
    }

    @Test
    void modelsAreBuiltAtThePlansInputWithItsLayers(@TempDir Path tmp) {
        ModelEntry googlenet = ModelRegistry.get("googlenet");
        assertEquals(googlenet.defaultInput(), plan(false, null, tmp).options(googlenet).input());
        assertEquals(InputShape.parse("3x64x64"), plan(false, "3x64x64", tmp).options(googlenet).input());
        assertEquals(LayerImpl.STOCK, plan(false, null, tmp).options(googlenet).impl());
    }

    @Test
    void onlyFullRunsWarmUpUntilTheJitIsQuiet(@TempDir Path tmp) {
        assertEquals(BenchPlan.JIT_WARM_UP_CAP_MS, plan(false, null, tmp).jitWarmUpCapMs());
        assertEquals(0, plan(true, null, tmp).jitWarmUpCapMs());
        assertEquals(0, new BenchPlan(List.of("googlenet"), null, null, null, false, null, false, "cpu",
                LayerImpl.FAST, "table", tmp, "", BenchPlan.DEFAULT_PEAK_N, new BenchPlan.Timing(0, 1, 200, 1, 200))
                .jitWarmUpCapMs());
    }

    private static BenchPlan plan(boolean quick, String input, Path out) {
        return new BenchPlan(List.of("googlenet"), null, input, null, false, null, quick, "cpu", LayerImpl.STOCK,
                "table", out, "", BenchPlan.DEFAULT_PEAK_N, null);
    }
}
