package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.ImageFolderStream.Crop;
import org.zoobench.zoo.InputShape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.zoobench.experiments.data.ImageFiles.classOf;

/**
 * The evaluation transform of torchvision's ImageNet weights: shorter side resized to 256, the 224x224 centre crop,
 * pixels scaled to [0, 1], then each channel normalised with a fixed mean and standard deviation, ImageNet's
 * ({@link #IMAGENET}), or 0.5 and 0.5 for torchvision's GoogLeNet weights ({@link #INCEPTION}: what its
 * {@code transform_input} turns ImageNet-normalised input into). Decoding and resizing are OpenCV's (area
 * averaging when shrinking), not PIL's antialiased bilinear filter, so pixels differ slightly from torchvision's.
 */
public enum TorchvisionPreprocessing {
    IMAGENET(new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f}),
    INCEPTION(new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.5f, 0.5f, 0.5f});

    /** torchvision's crop, from images whose shorter side is 256. */
    public static final InputShape.Image CROP = (InputShape.Image) InputShape.image(3, 224, 224);

    private final float[] mean;
    private final float[] std;

    TorchvisionPreprocessing(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** The name --preprocess takes: "imagenet" or "inception". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TorchvisionPreprocessing parse(String name) {
        for (TorchvisionPreprocessing p : values()) {
            if (p.id().equals(name)) {
                return p;
            }
        }
        throw new UserInputException("unknown --preprocess '" + name + "': imagenet (torchvision's ImageNet "
                + "weights) or inception (torchvision's GoogLeNet weights)");
    }

    /** The images of {@code files}, preprocessed, as one [n, 3, 224, 224] batch. */
    public INDArray images(List<Path> files) {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UserInputException("no image file " + f);
            }
        }
        int size = Math.toIntExact(CROP.size());
        float[] features = new float[files.size() * size];
        ImageFolderStream.run(() -> IntStream.range(0, files.size()).parallel()
                .forEach(k -> decode(files.get(k), features, k * size)));
        return Nd4j.create(features, CROP.batchShape(files.size()), 'c');
    }

    private void decode(Path file, float[] out, int offset) {
        ImageFolderStream.decode(file, CROP, mean, out, offset, Crop.CENTRE);
        int plane = CROP.height() * CROP.width();
        for (int c = 0; c < 3; c++) {
            float s = std[c];
            for (int p = offset + c * plane; p < offset + (c + 1) * plane; p++) {
                out[p] /= s;
            }
        }
    }

    /**
     * A validation folder, {@code dir/<class>/<image>} or {@code dir/val/<class>/<image>}, in batches of
     * {@code batchSize}; classes are numbered in the sorted order of their folders' names, as torchvision's
     * ImageFolder numbers them (ImageNet's synset folders then give the weights' class indices), and there must
     * be {@code classes} of them.
     */
    public DataSetIterator folder(Path dir, int classes, int batchSize) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserInputException("image-folder needs --data-dir DIR, a folder of class folders (DIR/<class>/"
                    + "<image>, or DIR/val/<class>/<image>)" + (dir == null ? "" : "; " + dir + " is not a folder"));
        }
        Path root = Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : dir;
        List<String> classNames = classFolders(root);
        if (classNames.size() != classes) {
            throw new UserInputException(root + " has " + classNames.size() + " class folders and the model "
                    + classes + " classes: torchvision numbers classes by their folders' sorted names, so every "
                    + "class needs its folder (ImageNet's validation images sorted into its 1000 synset folders)");
        }
        List<Path> files = ImageFiles.in(root);
        if (files.isEmpty()) {
            throw new UserInputException("no images (" + ImageFiles.extensions() + ") in the class folders of " + root);
        }
        int[] labels = files.stream().mapToInt(f -> classNames.indexOf(classOf(f))).toArray();
        return new FolderBatches(files, labels, classNames, batchSize);
    }

    private static List<String> classFolders(Path root) {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UserInputException("cannot list " + root + ": " + e.getMessage());
        }
    }

    /** The folder's images in file order, each batch decoded when asked for. */
    private final class FolderBatches extends OrderedBatches {

        private final List<Path> files;
        private final int[] labels;
        private final List<String> classes;

        FolderBatches(List<Path> files, int[] labels, List<String> classes, int batchSize) {
            super(files.size(), batchSize, false, 0, new AtomicLong(), "torchvision's preprocessing is applied already");
            this.files = files;
            this.labels = labels;
            this.classes = classes;
        }

        @Override
        DataSet gather(int[] rows, Random random) {
            INDArray features = images(IntStream.of(rows).mapToObj(files::get).toList());
            INDArray oneHot = Nd4j.zeros(rows.length, classes.size());
            for (int k = 0; k < rows.length; k++) {
                oneHot.putScalar(k, labels[rows[k]], 1f);
            }
            return new DataSet(features, oneHot);
        }

        @Override
        public int inputColumns() {
            return Math.toIntExact(CROP.size());
        }

        @Override
        public int totalOutcomes() {
            return classes.size();
        }

        @Override
        public List<String> getLabels() {
            return classes;
        }
    }
}
