package org.zoobench.experiments.data;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.device.ThisMachine;
import org.zoobench.zoo.InputShape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.zoobench.experiments.data.ImageFiles.classOf;

/**
 * An ImageNet-style folder tree, {@code ROOT/train/<class>/<image>} and {@code ROOT/val/<class>/<image>}, read
 * from disk batch by batch (1.28M images do not fit in memory) with the preprocessing of Krizhevsky et al. (2012),
 * which Zeiler and Fergus (2013) kept: each image's shorter side resized to 256 (for a 224 crop; in general
 * 256/224 of the crop), a random crop and a random horizontal flip for training, the centre crop for evaluation,
 * and the per-channel mean of the training images subtracted (pixels scaled to [0, 1] first, the scale the
 * zoo's He initialisation expects).
 * <p>
 * Decoding (OpenCV) and cropping run in parallel on all cores, one batch at a time, on the prefetch thread of a
 * {@link PipelineIterator}, whose statistics say how much of training waited on it.
 */
public final class ImageFolderStream {

    /** The shorter side the paper resizes to, for its 224 crops. */
    static final double SHORT_SIDE_PER_CROP = 256.0 / 224.0;
    /** Training images whose centre crops give the channel means (a seeded sample: enough for three means). */
    static final int MEAN_SAMPLE = 1000;
    private static final int PREFETCH = 4;
    /** One pool for all streams: decoding uses every core, and OpenCV's own threads would only oversubscribe. */
    private static final ForkJoinPool DECODERS = new ForkJoinPool(ThisMachine.processors());

    static {
        opencv_core.setNumThreads(1);
    }

    /** An image file and its class index. */
    record Item(Path file, int label) {
    }

    private final Path root;
    private final List<String> classes;
    private final List<Item> train;
    private final List<Item> val;
    private final long seed;
    private final ConcurrentHashMap<InputShape.Image, float[]> means = new ConcurrentHashMap<>();

    private ImageFolderStream(Path root, List<String> classes, List<Item> train, List<Item> val, long seed) {
        this.root = root;
        this.classes = classes;
        this.train = train;
        this.val = val;
        this.seed = seed;
    }

    /**
     * Lists {@code root/train} and {@code root/val}, keeping seeded subsets of {@code trainLimit} and
     * {@code valLimit} images (0 keeps all); a missing part or an empty tree is a {@link UserInputException}.
     */
    public static ImageFolderStream open(Path root, int trainLimit, int valLimit, long seed) {
        if (root == null) {
            throw new UserInputException("image-folder needs a directory: pass --data-dir DIR with DIR/train/<class>/"
                    + "<image> and DIR/val/<class>/<image>");
        }
        for (String part : List.of("train", "val")) {
            if (!Files.isDirectory(root.resolve(part))) {
                throw new UserInputException("image folder " + root + " has no " + part + "/ folder: expected "
                        + root + "/train/<class>/<image> and " + root + "/val/<class>/<image>");
            }
        }
        List<Path> trainFiles = ImageFiles.in(root.resolve("train"));
        List<Path> valFiles = ImageFiles.in(root.resolve("val"));
        TreeSet<String> names = new TreeSet<>();
        trainFiles.forEach(p -> names.add(classOf(p)));
        if (names.size() < 2) {
            throw new UserInputException("image folder " + root + "/train has " + names.size() + " class folder(s) "
                    + "with images; a classifier needs at least two");
        }
        if (valFiles.isEmpty()) {
            throw new UserInputException("image folder " + root + "/val has no images");
        }
        List<String> classes = List.copyOf(names);
        for (Path p : valFiles) {
            if (!names.contains(classOf(p))) {
                throw new UserInputException("validation class '" + classOf(p) + "' (" + p + ") has no training "
                        + "folder in " + root + "/train");
            }
        }
        List<Item> train = items(trainFiles, classes, trainLimit, seed);
        List<Item> val = items(valFiles, classes, valLimit, seed);
        // validation images are decoded only after training: a cut-off one must be found now
        TruncationCheck.checkAll(Stream.concat(train.stream(), val.stream()).map(Item::file).toList());
        return new ImageFolderStream(root, classes, train, val, seed);
    }

    private static List<Item> items(List<Path> files, List<String> classes, int limit, long seed) {
        return Arrays.stream(Subsets.pick(files.size(), limit, seed))
                .mapToObj(i -> new Item(files.get(i), classes.indexOf(classOf(files.get(i))))).toList();
    }

    public Path root() {
        return root;
    }

    public List<String> classes() {
        return classes;
    }

    public int trainSize() {
        return train.size();
    }

    public int valSize() {
        return val.size();
    }

    /** Training batches: a new seeded order, new crops and flips every epoch. */
    public PipelineIterator train(InputShape input, int batchSize, long runSeed) {
        return iterator(train, input, batchSize, runSeed, true);
    }

    /** Validation batches in file order, centre crops. */
    public PipelineIterator val(InputShape input, int batchSize) {
        return iterator(val, input, batchSize, 0, false);
    }

    /** A fixed seeded sample of {@code n} training images as centre crops, for the training-set curves. */
    public PipelineIterator trainSample(InputShape input, int batchSize, int n) {
        List<Item> sample = Arrays.stream(Subsets.pick(train.size(), n, seed)).mapToObj(train::get).toList();
        return iterator(sample, input, batchSize, 0, false);
    }

    /** The per-channel mean (RGB, [0, 1] scale) of the centre crops of a seeded sample of training images. */
    public float[] mean(InputShape.Image input) {
        return means.computeIfAbsent(input, this::measureMean);
    }

    private float[] measureMean(InputShape.Image input) {
        int[] pick = Subsets.pick(train.size(), MEAN_SAMPLE, seed);
        int plane = input.height() * input.width();
        double[][] sums = new double[pick.length][3];
        float[] zero = new float[3];
        run(() -> IntStream.range(0, pick.length).parallel().forEach(k -> {
            float[] image = new float[3 * plane];
            decode(train.get(pick[k]).file(), input, zero, image, 0, Crop.CENTRE);
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int p = 0; p < plane; p++) {
                    s += image[c * plane + p];
                }
                sums[k][c] = s / plane;
            }
        }));
        float[] mean = new float[3];
        for (double[] s : sums) {
            for (int c = 0; c < 3; c++) {
                mean[c] += (float) (s[c] / pick.length);
            }
        }
        return mean;
    }

    private PipelineIterator iterator(List<Item> items, InputShape input, int batchSize, long runSeed, boolean train) {
        if (!(input instanceof InputShape.Image image) || image.channels() != 3) {
            throw new UserInputException("image-folder crops are colour images: the model must take 3xHxW, not "
                    + input);
        }
        AtomicLong produced = new AtomicLong();
        DecodedBatches batches = new DecodedBatches(this, items, image, batchSize, runSeed, train, mean(image),
                produced);
        return new PipelineIterator(batches, PREFETCH, produced, items.size());
    }

    /** Where a crop comes from: the centre, or a random place (and maybe mirrored). */
    record Crop(double x, double y, boolean flip) {
        static final Crop CENTRE = new Crop(0.5, 0.5, false);
    }

    /** Runs {@code work} on the decoding pool and waits for it (parallel streams inside use that pool). */
    static void run(Runnable work) {
        try {
            DECODERS.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Decodes {@code file}, resizes its shorter side to 256/224 of the crop, takes the crop ({@code crop.x} and
     * {@code crop.y} place it, 0 to 1, within the free margin), mirrors it if asked, and writes it as RGB planes
     * minus {@code mean} into {@code out} at {@code offset}.
     */
    static void decode(Path file, InputShape.Image input, float[] mean, float[] out, int offset, Crop crop) {
        int h = input.height();
        int w = input.width();
        byte[] pixels;
        int rows;
        int cols;
        try (Mat image = imread(file.toString(), IMREAD_COLOR)) {
            if (image.empty()) {
                throw new UserInputException("cannot decode image " + file);
            }
            double scale = Math.round(Math.max(h, w) * SHORT_SIDE_PER_CROP) / (double) Math.min(image.rows(),
                    image.cols());
            rows = Math.max(h, (int) Math.round(image.rows() * scale));
            cols = Math.max(w, (int) Math.round(image.cols() * scale));
            try (Mat sized = new Mat(); Size size = new Size(cols, rows)) {
                // Area averaging when shrinking (no aliasing), bilinear when enlarging.
                resize(image, sized, size, 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
                pixels = new byte[rows * cols * 3];
                sized.data().get(pixels);
            }
        }
        int top = (int) Math.round((rows - h) * crop.y());
        int left = (int) Math.round((cols - w) * crop.x());
        for (int c = 0; c < 3; c++) {
            int bgr = 2 - c; // OpenCV stores blue, green, red
            float m = mean[c];
            for (int y = 0; y < h; y++) {
                int src = (top + y) * cols;
                int dst = offset + (c * h + y) * w;
                for (int x = 0; x < w; x++) {
                    int sx = left + (crop.flip() ? w - 1 - x : x);
                    out[dst + x] = (pixels[(src + sx) * 3 + bgr] & 0xFF) / 255f - m;
                }
            }
        }
    }

    /** One-hot labels of {@code items} as an [n, classes] float array. */
    INDArray labels(List<Item> items) {
        float[] oneHot = new float[items.size() * classes.size()];
        for (int i = 0; i < items.size(); i++) {
            oneHot[i * classes.size() + items.get(i).label()] = 1f;
        }
        return Nd4j.create(oneHot, new long[]{items.size(), classes.size()}, 'c');
    }
}
