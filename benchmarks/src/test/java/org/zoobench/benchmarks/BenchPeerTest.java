package org.zoobench.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
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
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * {@code bench --peer pytorch} end to end, as small as it goes: LeNet-5 at 1x32x32 and batch 4, ZooBench in-process
 * for one short iteration, then its PyTorch twin for as long, into one table. Needs Debian's python3-torch: under
 * CI (CI=true) its absence fails, elsewhere the test is skipped, saying so on stderr.
 */
class BenchPeerTest {

    @AfterEach
    void clearInput() {
        System.clearProperty(ModelBenchmark.INPUT_PROPERTY);
    }

    @Test
    void imagesPerSecondReadLikeTheComparisonTables() {
        assertEquals(List.of("9.6", "99.9", "222", "17,394"), List.of(BenchReport.imagesPerSecond(9.6),
                BenchReport.imagesPerSecond(99.94), BenchReport.imagesPerSecond(222.4),
                BenchReport.imagesPerSecond(17_393.6)));
    }

    @Test
    void bothSidesInOneSittingIntoOneTable(@TempDir Path out) throws Exception {
        try {
            PyTorchPeer.locate().versions();
        } catch (UserInputException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI must have PyTorch for bench --peer: " + e.getMessage());
            }
            System.err.println("SKIPPED: bench --peer end to end (no PyTorch here): " + e.getMessage());
            abort(e.getMessage());
        }
        BenchPlan plan = new BenchPlan(List.of("lenet5"), List.of(4), "1x32x32", List.of(), false, List.of(), false,
                "cpu", LayerImpl.FAST, "table", out, "./zoobench bench lenet5 --input 1x32x32 --batch 4 --peer pytorch",
                64, BenchHarnessSmokeTest.IN_PROCESS).withPeer(PyTorchPeer.NAME);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertEquals(0, BenchMain.run(plan, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err));

        BenchResults results = BenchResults.read(out.resolve("results.json"));
        assertEquals(1, results.peers().size());
        PyTorchPeer.Row peer = results.peers().get(0);
        assertTrue(peer.ok(), peer.failure());
        ModelEntry lenet = ModelRegistry.get("lenet5");
        assertEquals(ModelProfile.of(lenet, plan.options(lenet)).trainableParams(), peer.params());
        assertEquals(List.of("lenet5", "1x32x32", 4, 10), List.of(peer.model(), peer.input(), peer.batch(),
                peer.classes()));
        for (PyTorchPeer.Pass pass : List.of(peer.training(), peer.inference())) {
            assertEquals(1, pass.stretches().size(), "one measurement iteration, one stretch");
            assertTrue(pass.imagesPerSecondLow() > 0 && pass.imagesPerSecondLow() <= pass.imagesPerSecond()
                    && pass.imagesPerSecond() <= pass.imagesPerSecondHigh(), pass.toString());
            assertTrue(pass.stretches().get(0).seconds() >= 0.2, "at least the measurement time: " + pass);
        }

        String table = Files.readString(out.resolve("peers.md"));
        assertTrue(table.startsWith("| model | input | batch | ZooBench train / infer img/s | PyTorch train / infer "
                + "img/s | ZooBench ÷ PyTorch train / infer |"), table);
        String row = table.lines().filter(l -> l.startsWith("| lenet5 | 1x32x32 | 4 | ")).findFirst().orElseThrow();
        BenchResults.ModelRow zoo = results.models().get(0);
        double trainRatio = zoo.training().imagesPerSecond() / peer.training().imagesPerSecond();
        assertTrue(row.contains(String.format(java.util.Locale.ROOT, "| %.2f / ", trainRatio)), row);
        assertTrue(table.contains("torch.set_num_threads("), table);
        assertTrue(Files.readString(out.resolve("results.md")).contains(table), "results.md has the same table");
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains(row), "and it is printed");
    }
}
