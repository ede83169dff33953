package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.data.ImageFolders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** User mistakes with run's --dataset, --scale, --input and --backend: one line and exit code 2, nothing trained. */
class RunCommandOptionsTest {

    private static void oneLineUserError(CliRun run, String start) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("zoobench: " + start), run.err());
    }

    @Test
    void imagenetScaleNeedsAnImageFolderWithTrainAndVal(@TempDir Path tmp) throws Exception {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "imagenet", "--results", results),
                "--scale imagenet trains on an ImageNet-style folder: pass --dataset image-folder --data-dir DIR");
        Path data = ImageFolders.write(tmp.resolve("data"), 2, 2, 1, 20);
        Files.walk(data.resolve("val")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "imagenet", "--dataset", "image-folder",
                "--data-dir", data.toString(), "--results", results), "image folder " + data + " has no val/ folder");
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "huge", "--results", results),
                "unknown scale 'huge'; choose mini or imagenet");
    }

    @Test
    void optionsASuiteCannotHonourAreRefused(@TempDir Path tmp) {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "depth", "--scale", "imagenet", "--results", results),
                "--scale imagenet applies to alexnet-ablation only, not depth");
        oneLineUserError(CliRun.of("run", "birnn", "--input", "3x64x64", "--results", results),
                "--input applies to alexnet-ablation only");
        oneLineUserError(CliRun.of("run", "architectures", "--dataset", "nonsense", "--results", results),
                "unknown dataset 'nonsense'");
    }
}
