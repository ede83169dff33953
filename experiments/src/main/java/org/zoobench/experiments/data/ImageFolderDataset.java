package org.zoobench.experiments.data;

import org.bytedeco.leptonica.global.lept;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.records.Record;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ColorConversionTransform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.zoobench.experiments.data.ImageFiles.classOf;

/**
 * Any folder tree with one sub-folder of images per class ({@code ROOT/<class>/<image>}), read with DataVec's
 * {@link ImageRecordReader} and {@link ParentPathLabelGenerator}. If ROOT has {@code train/} and {@code test/} (or
 * {@code val/}) sub-folders (each {@code <class>/<image>}), those are the splits; otherwise a seeded, per-class share
 * ({@link DataOptions#testFraction()}) is held out for testing. Images are read at {@link DataOptions#shape()},
 * or at the size and colour (grey or RGB) of the first image.
 */
final class ImageFolderDataset {

    private ImageFolderDataset() {
    }

    static LoadedDataset load(DataOptions options) {
        Path root = options.path();
        if (root == null) {
            throw new UserInputException("image-folder needs a directory: pass --data-dir DIR, where DIR holds one"
                    + " sub-folder of images per class");
        }
        if (!Files.isDirectory(root)) {
            throw new UserInputException("image folder " + root + " does not exist or is not a directory");
        }
        Path trainRoot = root.resolve("train");
        // ImageNet's layout names the held-out part val/.
        Path testRoot = Files.isDirectory(root.resolve("test")) ? root.resolve("test") : root.resolve("val");
        boolean presplit = Files.isDirectory(trainRoot) && Files.isDirectory(testRoot);
        List<Path> trainFiles;
        List<Path> testFiles;
        if (presplit) {
            trainFiles = ImageFiles.in(trainRoot);
            testFiles = ImageFiles.in(testRoot);
            checkNoEmptyClass(trainRoot, trainFiles);
            checkNoEmptyClass(testRoot, testFiles);
        } else {
            List<Path> all = ImageFiles.in(root);
            checkNoEmptyClass(root, all);
            trainFiles = new ArrayList<>();
            testFiles = new ArrayList<>();
            split(all, options.testFraction(), options.seed(), trainFiles, testFiles);
        }
        List<String> classes = classes(root, trainFiles, testFiles);
        trainFiles = subset(trainFiles, options.limit(), options.seed());
        testFiles = subset(testFiles, options.testLimit(), options.seed());
        // Before any native decoder reads them: see PngCheck and TruncationCheck.
        Stream.concat(trainFiles.stream(), testFiles.stream()).filter(PngCheck::isPng)
                .forEach(ImageFolderDataset::checkPng);
        TruncationCheck.checkAll(Stream.concat(trainFiles.stream(), testFiles.stream()).toList());
        InputShape given = options.shape() != null ? options.shape() : shapeOf(trainFiles.get(0));
        if (!(given instanceof InputShape.Image shape)) {
            throw new UserInputException("image-folder reads images; give an image shape CxHxW, not " + given);
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new UserInputException("image-folder reads grey (1) or colour (3) images, not " + shape.channels()
                    + " channels");
        }
        String name = "image-folder:" + root.getFileName();
        return new LoadedDataset(name, read(trainFiles, classes, shape), read(testFiles, classes, shape), shape,
                classes);
    }

    /**
     * A class sub-folder without images would silently make a model with one class fewer; with none at all
     * {@link #classes} says the folder has no images.
     */
    private static void checkNoEmptyClass(Path dir, List<Path> images) {
        if (images.isEmpty()) {
            return;
        }
        try (Stream<Path> folders = Files.list(dir)) {
            folders.filter(Files::isDirectory).filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> images.stream().noneMatch(p -> p.getParent().equals(f)))
                    .sorted().findFirst().ifPresent(f -> {
                        throw new UserInputException("image folder " + dir + ": class folder '" + f.getFileName()
                                + "' has no images (" + ImageFiles.extensions() + "); add images to it or remove it");
                    });
        } catch (IOException e) {
            throw new UserInputException("cannot list image folder " + dir + ": " + e.getMessage());
        }
    }

    private static void checkPng(Path file) {
        String problem;
        try {
            problem = PngCheck.problem(file);
        } catch (IOException e) {
            throw new UserInputException("cannot read image " + file + " (" + e.getMessage() + ")");
        }
        if (problem != null) {
            throw new UserInputException("image " + file + " is not a valid PNG: " + problem
                    + "; replace or remove it");
        }
    }

    private static List<String> classes(Path root, List<Path> trainFiles, List<Path> testFiles) {
        if (trainFiles.isEmpty()) {
            throw new UserInputException("image folder " + root + " has no images: expected " + root
                    + "/<class>/<image> with one of " + ImageFiles.extensions());
        }
        if (testFiles.isEmpty()) {
            throw new UserInputException("image folder " + root + " has no test images: its test/ part is empty"
                    + " or each class has too few images to hold one out");
        }
        TreeMap<String, Integer> counts = new TreeMap<>();
        Stream.concat(trainFiles.stream(), testFiles.stream()).forEach(p -> counts.merge(classOf(p), 1, Integer::sum));
        if (counts.size() < 2) {
            throw new UserInputException("image folder " + root + " has a single class ('" + counts.firstKey()
                    + "'); a classifier needs at least two class sub-folders");
        }
        return List.copyOf(counts.keySet());
    }

    /** Holds out a seeded share of each class for testing (at least one image of any class with two or more). */
    private static void split(List<Path> all, double testFraction, long seed, List<Path> train, List<Path> test) {
        TreeMap<String, List<Path>> byClass = new TreeMap<>();
        for (Path p : all) {
            byClass.computeIfAbsent(classOf(p), c -> new ArrayList<>()).add(p);
        }
        Random random = new Random(seed);
        for (List<Path> files : byClass.values()) {
            List<Path> shuffled = new ArrayList<>(files);
            java.util.Collections.shuffle(shuffled, random);
            int held = files.size() < 2 ? 0 : Math.max(1, (int) Math.round(files.size() * testFraction));
            test.addAll(shuffled.subList(0, held));
            train.addAll(shuffled.subList(held, shuffled.size()));
        }
    }

    private static List<Path> subset(List<Path> files, int limit, long seed) {
        int[] keep = Subsets.pick(files.size(), limit, seed);
        return Arrays.stream(keep).mapToObj(files::get).toList();
    }

    /** The first image's size, and 1 channel if it is grey, else 3. */
    private static InputShape.Image shapeOf(Path image) {
        try {
            BufferedImage img = ImageIO.read(image.toFile());
            if (img != null) {
                boolean grey = img.getColorModel().getNumColorComponents() == 1;
                return InputShape.image(grey ? 1 : 3, img.getHeight(), img.getWidth());
            }
            long[] shape = new NativeImageLoader().asMatrix(image.toFile()).shape();
            return InputShape.image(3, (int) shape[2], (int) shape[3]);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot read image " + image + " (" + e.getMessage() + ")");
        }
    }

    private static DataSet read(List<Path> files, List<String> classes, InputShape.Image shape) {
        // Leptonica, DataVec's fallback decoder, prints "Error in pixReadMem ..." to the process's stderr for a file
        // it cannot decode; the one-line message below says that instead.
        lept.setMsgSeverity(lept.L_SEVERITY_NONE);
        ImageRecordReader reader = shape.channels() == 3
                ? new ImageRecordReader(shape.height(), shape.width(), 3, new ParentPathLabelGenerator(),
                new ColorConversionTransform(COLOR_BGR2RGB))
                : new ImageRecordReader(shape.height(), shape.width(), 1, new ParentPathLabelGenerator());
        int n = files.size();
        INDArray features = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape.batchShape(n));
        INDArray labels = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, classes.size());
        try {
            reader.initialize(new CollectionInputSplit(files.stream().map(Path::toUri).toList()));
            for (int i = 0; i < n; i++) {
                Path file = files.get(i);
                Record record;
                try {
                    record = reader.nextRecord();
                } catch (RuntimeException e) {
                    throw new UserInputException("cannot decode image " + file + " (" + e.getMessage() + ")");
                }
                URI uri = record.getMetaData().getURI();
                // DataVec's URI keeps non-ASCII characters unescaped, which Paths.get(URI) refuses: its decoded path
                Path read = Path.of(uri.getPath());
                if (!read.equals(file.toAbsolutePath()) && !read.equals(file)) {
                    throw new IllegalStateException("ImageRecordReader returned " + uri + " where " + file
                            + " was expected");
                }
                INDArray image = ((NDArrayWritable) record.getRecord().get(0)).get();
                features.slice(i).assign(image.reshape(shape.channels(), shape.height(), shape.width()).div(255));
                labels.putScalar(i, classes.indexOf(classOf(file)), 1f);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read image folder: " + e.getMessage());
        }
        return new DataSet(features, labels);
    }
}
