package org.zoobench.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.TorchvisionPreprocessing;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.zoo.weights.Logits;
import org.zoobench.zoo.weights.Npy;
import org.zoobench.zoo.weights.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code zoobench predict DIR --input FILE... [--out FILE.npy]}: a saved model's logits for a batch or images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a saved model (DIR/model.zip) in inference mode on a float32 NCHW batch (.npy) or on "
                + "image files, and write its logits (scores before the softmax) as .npy; for images, print each "
                + "one's top-5 classes.")
public final class PredictCommand implements Callable<Integer> {

    private static final int TOP = 5;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a folder holding model.zip (import, train or run)")
    Path dir;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE",
            description = "one .npy batch (float32, N x C x H x W), or image files")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "FILE.npy", description = "where the logits go, an N x classes .npy "
            + "(needed with an .npy input)")
    Path out;

    @Mixin
    InferenceOptions inference;

    @Option(names = "--labels", paramLabel = "FILE", description = "class names, one a line in class order, for "
            + "the top-5")
    Path labels;

    @Override
    public Integer call() throws IOException {
        boolean batchFile = inputs.size() == 1 && inputs.get(0).toString().endsWith(".npy");
        int batch = inference.batch();
        if (batchFile && inference.preprocessGiven()) {
            throw new UserInputException("--preprocess is for image files; " + inputs.get(0)
                    + " is a batch, taken as it is");
        }
        if (!batchFile && inputs.stream().anyMatch(p -> p.toString().endsWith(".npy"))) {
            throw new UserInputException("--input takes one .npy batch or image files, not both");
        }
        if (!batchFile && !inference.preprocessGiven()) {
            throw new UserInputException("image inputs need --preprocess imagenet (or inception for torchvision's "
                    + "GoogLeNet weights)");
        }
        if (batchFile && out == null) {
            throw new UserInputException("say where the logits go: --out FILE.npy");
        }
        TorchvisionPreprocessing preprocessing = batchFile ? null : inference.preprocessing();
        List<String> names = labels == null ? null : readLabels(labels);
        if (out != null) {
            OutputTargets.checkWritable(out, "--out");
        }
        SavedModel model = SavedModel.load(dir);
        if (names != null && names.size() != model.classes()) {
            throw new UserInputException("--labels " + labels + " names " + names.size() + " classes, the model has "
                    + model.classes());
        }
        INDArray input = batchFile ? Npy.read(inputs.get(0)) : preprocessing.images(inputs);
        if (input.rank() != 4 || input.size(0) == 0) {
            throw new UserInputException(inputs.get(0) + " has shape " + Arrays.toString(input.shape())
                    + "; predict takes a batch of images, N x C x H x W with N >= 1");
        }
        INDArray logits = logits(model, input, batch);
        if (out != null) {
            AtomicFiles.write(out, file -> {
                try (OutputStream stream = Files.newOutputStream(file)) {
                    Npy.write(logits, stream);
                }
            });
        }
        PrintWriter printer = spec.commandLine().getOut();
        if (!batchFile) {
            printTop(printer, logits, names);
        }
        if (out != null) {
            printer.printf(Locale.ROOT, "logits of %d examples x %d classes: %s%n", logits.size(0), logits.size(1), out);
        }
        return 0;
    }

    private INDArray logits(SavedModel model, INDArray input, int batch) {
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < input.size(0); start += batch) {
            INDArray part = input.get(NDArrayIndex.interval(start,
                    Math.min(start + batch, input.size(0))));
            try {
                parts.add(Logits.of(model.graph(), part.dup()));
            } catch (RuntimeException e) {
                throw new UserInputException("the model in " + dir + " cannot take input of shape "
                        + Arrays.toString(input.shape()) + ": " + UserInputException.rootMessage(e));
            }
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private void printTop(PrintWriter printer, INDArray logits, List<String> names) {
        INDArray probabilities = Transforms.softmax(logits, true);
        for (int i = 0; i < inputs.size(); i++) {
            printer.println(inputs.get(i) + ":");
            float[] row = probabilities.getRow(i).toFloatVector();
            Integer[] order = new Integer[row.length];
            for (int c = 0; c < row.length; c++) {
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Float.compare(row[b], row[a]));
            for (int k = 0; k < Math.min(TOP, row.length); k++) {
                int c = order[k];
                printer.printf(Locale.ROOT, "  %6.2f%%  %4d  %s%n", 100.0 * row[c], c,
                        names == null ? "" : names.get(c));
            }
        }
    }

    private static List<String> readLabels(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UserInputException("cannot read --labels " + file + ": " + UserInputException.rootMessage(e));
        }
    }
}
