package org.zoobench.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.experiments.data.ImageFolders;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.torchvision.PyTorch;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.weights.Npy;
import org.zoobench.zoo.weights.SavedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * import torchvision, predict, eval on an image folder with torchvision's preprocessing, and train --init, on a
 * torchvision ResNet-18 with seeded random weights and 3 classes; and every bad input they handle, in one line.
 */
class TorchvisionCommandsTest {

    private static final int CLASSES = 3;

    @TempDir
    static Path fixtures;
    @TempDir
    Path tmp;

    /** torchvision's resnet18 as .npz, a random 3x64x64 batch and torchvision's logits for it. */
    @BeforeAll
    static void exportFromTorchvision() throws Exception {
        System.setProperty("zoobench.progress", "false");
        PyTorch.require();
        PyTorch.run("src/test/python/pytorch_fixtures.py",
                List.of(fixtures.toString(), String.valueOf(CLASSES), "2", "torchvision:resnet18:3x64x64"));
    }

    private static Path weights() {
        return fixtures.resolve("resnet18.npz");
    }

    private Path imported() {
        Path dir = tmp.resolve("resnet18");
        CliRun run = CliRun.of("import", "torchvision", "resnet18", "--weights", weights().toString(), "--out",
                dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("resnet18 with 3 classes"), run.out());
        return dir;
    }

    private static void assertUserError(CliRun run, String expected) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), "exit " + run.exitCode() + ": " + run.err() + run.out());
        assertTrue(run.errIsOneLine(), run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    @Test
    void theShippedScriptTurnsTorchvisionsGoogLeNetFileIntoAnImportableOne() throws Exception {
        // torchvision's GoogLeNet file keeps the auxiliary heads; the script leaves them out.
        Path pth = tmp.resolve("googlenet.pth");
        PyTorch.run("-c", List.of("import sys, torch, torchvision; torch.save(torchvision.models.googlenet("
                + "weights=None, aux_logits=True, init_weights=True, num_classes=7).state_dict(), sys.argv[1])",
                pth.toString()));
        Path npz = tmp.resolve("googlenet.npz");
        PyTorch.run("../scripts/torchvision_to_npz.py", List.of("googlenet", npz.toString(), "--pth", pth.toString()));
        CliRun run = CliRun.of("import", "torchvision", "googlenet-torchvision", "--weights", npz.toString(), "--out",
                tmp.resolve("googlenet").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("googlenet-torchvision with 7 classes"), run.out());
    }

    @Test
    void predictWritesTorchvisionsLogitsForAnImportedModel() {
        Path dir = imported();
        Path logits = tmp.resolve("logits.npy");
        CliRun run = CliRun.of("predict", dir.toString(), "--input", fixtures.resolve("resnet18-input.npy").toString(),
                "--out", logits.toString(), "--batch", "1");
        assertEquals(0, run.exitCode(), run.err());
        INDArray expected = Npy.read(fixtures.resolve("resnet18-logits.npy"));
        INDArray got = Npy.read(logits);
        assertArrayEquals(expected.shape(), got.shape());
        assertTrue(got.sub(expected).amaxNumber().doubleValue() <= 1e-4 * expected.amaxNumber().doubleValue(),
                got + " vs " + expected);
    }

    @Test
    void imagesArePredictedAndAnImageFolderEvaluatedWithTorchvisionsPreprocessing() throws IOException {
        Path dir = imported();
        Path folder = ImageFolders.write(tmp.resolve("images"), CLASSES, 1, 2, 300);
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "red\ngreen\nblue\n");
        Path image = folder.resolve("val/class1").toFile().listFiles()[0].toPath();
        CliRun predict = CliRun.of("predict", dir.toString(), "--input", image.toString(), "--preprocess", "imagenet",
                "--labels", labels.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(1 + CLASSES, predict.out().lines().count(), predict.out());
        assertTrue(predict.out().contains("green"), predict.out());

        CliRun eval = CliRun.of("eval", dir.toString(), "--dataset", "image-folder", "--preprocess", "imagenet",
                "--data-dir", folder.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        // DIR/val is taken over DIR/train: its 2 images per class
        assertTrue(eval.out().contains("(6 images, imagenet preprocessing): top-1 "), eval.out());
    }

    @Test
    void trainInitStartsFromTheSavedWeightsWithAFreshClassifierForOtherClasses() {
        Path dir = imported();
        RunConfig config = RunConfig.builder().model("resnet18").dataset("synthetic")
                .input(InputShape.parse("3x32x32")).resize(ResizeMode.BILINEAR).classes(10).epochs(1).batchSize(8)
                .updater(Updater.ADAM).learningRate(1e-3).seed(1).trainLimit(16).testLimit(16).targetAccuracy(85)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).build()
                .withInit(dir.toAbsolutePath().toString());
        ComputationGraph net = Trainer.network(ModelRegistry.get("resnet18"), config);
        ComputationGraph saved = SavedModel.load(dir).graph();
        assertEquals(saved.getLayer("stage4_unit2_conv2").getParam("W"), net.getLayer("stage4_unit2_conv2").getParam("W"));
        INDArray savedVariance = saved.getLayer("conv1_bn").getParam("var");
        INDArray logStd = net.getLayer("conv1_bn").getParam("log10stdev");
        INDArray std = Transforms.pow(Nd4j.valueArrayOf(logStd.shape(), 10.0, logStd.dataType()), logStd, false);
        assertTrue(Transforms.sqrt(savedVariance.add(1e-5), false).sub(std).amaxNumber().doubleValue() < 1e-5,
                "BatchNorm's variance is carried over as DL4J's log10 standard deviation");
        assertArrayEquals(new long[]{512, 10}, net.getLayer("output").getParam("W").shape());

        Path results = tmp.resolve("results");
        CliRun train = CliRun.of("train", "resnet18", "--dataset", "synthetic", "--input", "3x32x32", "--epochs", "1",
                "--limit", "16", "--test-limit", "16", "--batch", "8", "--bootstrap", "1000", "--init", dir.toString(),
                "--results", results.toString(), "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(ResultsStore.openForReading(results).records().get(0).config().init().endsWith("resnet18"));
    }

    @Test
    void badImportsEndInOneLineAndWriteNothing() throws IOException {
        Path out = tmp.resolve("out");
        assertUserError(CliRun.of("import", "torchvision", "resnet-18", "--weights", weights().toString(), "--out",
                out.toString()), "unknown model 'resnet-18'");
        assertUserError(CliRun.of("import", "torchvision", "lenet5", "--weights", weights().toString(), "--out",
                out.toString()), "'lenet5' has no torchvision counterpart");
        assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", tmp.resolve("none.npz").toString(),
                "--out", out.toString()), "no file");
        Path text = Files.writeString(tmp.resolve("text.npz"), "not a zip");
        assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", text.toString(), "--out",
                out.toString()), "is not an .npz file");
        assertUserError(CliRun.of("import", "torchvision", "resnet34", "--weights", weights().toString(), "--out",
                out.toString()), "has no tensor 'layer1.2.conv1.weight'");

        Map<String, INDArray> tensors = new LinkedHashMap<>(Npy.readNpz(weights()));
        tensors.put("layer5.0.conv1.weight", tensors.get("layer4.0.conv1.weight"));
        assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", npz("extra", tensors).toString(),
                "--out", out.toString()), "holds tensor 'layer5.0.conv1.weight'");
        tensors.remove("layer5.0.conv1.weight");
        tensors.put("layer2.0.conv1.weight", tensors.get("layer1.0.conv1.weight"));
        assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", npz("shape", tensors).toString(),
                "--out", out.toString()), "tensor 'layer2.0.conv1.weight' has shape [64, 64, 3, 3], resnet18 needs "
                + "[128, 64, 3, 3]");
        tensors.remove("fc.weight");
        assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", npz("nofc", tensors).toString(),
                "--out", out.toString()), "has no 2-D tensor 'fc.weight'");
        assertFalse(Files.exists(out));

        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertUserError(CliRun.of("import", "torchvision", "resnet18", "--weights", weights().toString(), "--out",
                    locked.resolve("model").toString()), "is read-only");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertUserError(CliRun.of("import"), "say where the weights come from");
    }

    @Test
    void badPredictionsEvaluationsAndInitsEndInOneLine() throws IOException {
        Path dir = imported();
        Path input = fixtures.resolve("resnet18-input.npy");
        Path out = tmp.resolve("logits.npy");
        assertUserError(CliRun.of("predict", tmp.resolve("nothing").toString(), "--input", input.toString(), "--out",
                out.toString()), "holds no model.zip");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", input.toString()), "--out FILE.npy");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", input.toString(), "--out", out.toString(),
                "--batch", "0"), "--batch must be at least 1");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", "a.png"), "need --preprocess imagenet");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", "a.png", "--preprocess", "caffe"),
                "Invalid value for option '--preprocess': unknown --preprocess 'caffe'");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", "a.png", "--preprocess", "imagenet"),
                "no image file a.png");
        assertUserError(CliRun.of("predict", dir.toString(), "--input", input.toString(), "a.png", "--out",
                out.toString()), "one .npy batch or image files, not both");
        Path flat = tmp.resolve("flat.npy");
        try (var stream = Files.newOutputStream(flat)) {
            Npy.write(Nd4j.zeros(2, 3), stream);
        }
        assertUserError(CliRun.of("predict", dir.toString(), "--input", flat.toString(), "--out", out.toString()),
                "predict takes a batch of images, N x C x H x W");
        Path grey = tmp.resolve("grey.npy");
        try (var stream = Files.newOutputStream(grey)) {
            Npy.write(Nd4j.zeros(1, 1, 64, 64), stream);
        }
        assertUserError(CliRun.of("predict", dir.toString(), "--input", grey.toString(), "--out", out.toString()),
                "cannot take input of shape [1, 1, 64, 64]");
        assertFalse(Files.exists(out));
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        Files.writeString(damaged.resolve(ResultsStore.MODEL), "not a model");
        assertUserError(CliRun.of("predict", damaged.toString(), "--input", input.toString(), "--out", out.toString()),
                "cannot load");

        Path folder = ImageFolders.write(tmp.resolve("images"), 2, 1, 1, 40);
        assertUserError(CliRun.of("eval", dir.toString(), "--dataset", "image-folder", "--data-dir",
                folder.toString()), "--dataset image-folder with --preprocess imagenet");
        assertUserError(CliRun.of("eval", dir.toString(), "--dataset", "image-folder", "--preprocess", "imagenet",
                "--data-dir", folder.toString()), "has 2 class folders and the model 3 classes");
        assertUserError(CliRun.of("eval", dir.toString(), "--dataset", "image-folder", "--preprocess", "imagenet"),
                "image-folder needs --data-dir DIR");

        Path results = tmp.resolve("results");
        assertUserError(CliRun.train(results, "--init", tmp.resolve("nothing").toString()), "holds no model.zip");
        assertUserError(CliRun.train(results, "--init", dir.toString()), "does not fit this model");
        assertFalse(Files.exists(results));
    }

    /** {@code tensors} as an .npz file named {@code name}. */
    private Path npz(String name, Map<String, INDArray> tensors) throws IOException {
        Path file = tmp.resolve(name + ".npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
                zip.putNextEntry(new ZipEntry(t.getKey() + ".npy"));
                Npy.write(t.getValue(), zip);
                zip.closeEntry();
            }
        }
        return file;
    }
}
