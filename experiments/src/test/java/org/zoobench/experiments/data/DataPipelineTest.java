package org.zoobench.experiments.data;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.DataPipeline.Resize;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.zoo.InputShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.experiments.data.IdxDatasetTest.assertOneLine;

class DataPipelineTest {

    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** {@code n} grey 4x4 images whose pixels all equal {@code i / 1000}, so a pixel names its example. */
    private static LoadedDataset indexed(int n) {
        INDArray features = Nd4j.create(DataType.FLOAT, n, 1, 4, 4);
        INDArray labels = Nd4j.create(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            features.slice(i).assign(i / 1000.0);
            labels.putScalar(i, i % 10, 1);
        }
        DataSet set = new DataSet(features, labels);
        return new LoadedDataset("indexed", set, set.copy(), InputShape.image(1, 4, 4), CLASSES);
    }

    /** Example indices in the order a pass hands them out (normalisation off). */
    private static List<Integer> order(PipelineIterator it) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            INDArray f = it.next().getFeatures();
            for (int k = 0; k < f.size(0); k++) {
                seen.add(Math.round(f.getFloat(k, 0, 0, 0) * 1000));
            }
        }
        return seen;
    }

    private static DataPipeline.Builder raw(LoadedDataset data, long seed) {
        return DataPipeline.builder(data, data.shape()).batchSize(7).seed(seed).normalize(false);
    }

    @Test
    void sameSeedSameOrderDifferentSeedOrEpochDifferentOrder() {
        LoadedDataset data = indexed(50);
        List<Integer> all = IntStream.range(0, 50).boxed().toList();
        try (PipelineIterator a = raw(data, 3).build().train(); PipelineIterator b = raw(data, 3).build().train();
             PipelineIterator c = raw(data, 4).build().train()) {
            List<Integer> first = order(a);
            assertEquals(first, order(b));
            List<Integer> other = order(c);
            assertNotEquals(first, other);
            assertNotEquals(all, first, "shuffled");
            a.reset();
            List<Integer> second = order(a);
            assertNotEquals(first, second, "a new order every epoch");
            for (List<Integer> pass : List.of(first, second, other)) {
                assertEquals(all, pass.stream().sorted().toList(), "each example exactly once per epoch");
            }
            b.reset();
            assertEquals(second, order(b), "epoch orders repeat with the seed");
        }
        try (PipelineIterator test = raw(data, 3).build().test()) {
            assertEquals(all, order(test), "test data in file order");
        }
    }

    @Test
    void prefetchingChangesNothingButTheThread() {
        LoadedDataset data = indexed(30);
        try (PipelineIterator on = raw(data, 5).prefetch(3).build().train();
             PipelineIterator off = raw(data, 5).prefetch(0).build().train()) {
            assertEquals(order(off), order(on));
            on.reset();
            off.reset();
            assertEquals(order(off), order(on));
        }
    }

    @Test
    void greyBecomesThreeChannelsAndIsResized() {
        LoadedDataset data = indexed(20);
        DataPipeline pipeline = DataPipeline.builder(data, InputShape.image(3, 9, 11)).batchSize(8)
                .normalize(false).build();
        try (PipelineIterator it = pipeline.test()) {
            DataSet batch = it.next();
            assertArrayEquals(new long[]{8, 3, 9, 11}, batch.getFeatures().shape());
            assertArrayEquals(new long[]{8, 10}, batch.getLabels().shape());
            // constant images stay constant under bilinear resizing, and all three channels are the grey one
            INDArray f = batch.getFeatures();
            for (int c = 0; c < 3; c++) {
                assertEquals(5 / 1000.0, f.getFloat(5, c, 8, 10), 1e-6);
                assertEquals(5 / 1000.0, f.getFloat(5, c, 0, 0), 1e-6);
            }
            assertEquals(3, it.next().getFeatures().size(0) - 5, "8 + 8 + 4");
        }
    }

    @Test
    void bilinearUsesHalfPixelCentres() {
        INDArray ramp = Nd4j.create(new float[]{0, 1}, new long[]{1, 1, 1, 2}, 'c');
        DataSet set = new DataSet(ramp, Nd4j.create(new float[]{1, 0}, new long[]{1, 2}, 'c'));
        LoadedDataset data = new LoadedDataset("ramp", set, set, InputShape.image(1, 1, 2), List.of("a", "b"));
        try (PipelineIterator it = DataPipeline.builder(data, InputShape.image(1, 1, 4)).normalize(false).build().test()) {
            assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, it.next().getFeatures().reshape(4).toFloatVector(), 1e-6f);
        }
    }

    @Test
    void bilinearMatchesNd4jsResizeOpUpAndDown() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, 2, 5, 7);
        DataSet set = new DataSet(images, Nd4j.create(new float[]{1, 0, 0, 1, 1, 0}, new long[]{3, 2}, 'c'));
        LoadedDataset data = new LoadedDataset("rand", set, set, InputShape.image(2, 5, 7), List.of("a", "b"));
        InputShape target = InputShape.image(2, 9, 4); // taller, narrower
        try (PipelineIterator it = DataPipeline.builder(data, target).normalize(false).build().test()) {
            INDArray ours = it.next().getFeatures();
            INDArray nhwc = images.permute(0, 2, 3, 1).dup('c');
            INDArray theirs = Nd4j.create(DataType.FLOAT, 3, 9, 4, 2);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.image.ResizeBilinear(nhwc, theirs, 9, 4, false, true));
            assertTrue(theirs.permute(0, 3, 1, 2).equalsWithEps(ours, 1e-5), ours + "\nvs\n" + theirs);
        }
    }

    @Test
    void colourBecomesGreyByLuminance() {
        INDArray rgb = Nd4j.create(DataType.FLOAT, 2, 3, 2, 2);
        rgb.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .assign(1); // example 0 pure red
        rgb.slice(1).assign(1); // example 1 white
        DataSet set = new DataSet(rgb, Nd4j.create(new float[]{1, 0, 0, 1}, new long[]{2, 2}, 'c'));
        LoadedDataset data = new LoadedDataset("rgb", set, set, InputShape.image(3, 2, 2), List.of("a", "b"));
        try (PipelineIterator it = DataPipeline.builder(data, InputShape.image(1, 2, 2)).normalize(false).build().test()) {
            INDArray grey = it.next().getFeatures();
            assertArrayEquals(new long[]{2, 1, 2, 2}, grey.shape());
            assertEquals(0.299, grey.getFloat(0, 0, 1, 1), 1e-6);
            assertEquals(1.0, grey.getFloat(1, 0, 0, 1), 1e-6);
        }
    }

    @Test
    void paddingCentresTheImage() {
        LoadedDataset data = indexed(3);
        try (PipelineIterator it = DataPipeline.builder(data, InputShape.image(1, 8, 8)).resize(Resize.PAD)
                .normalize(false).build().test()) {
            INDArray f = it.next().getFeatures();
            assertArrayEquals(new long[]{3, 1, 8, 8}, f.shape());
            assertEquals(2 / 1000.0, f.getFloat(2, 0, 2, 2), 1e-7);
            assertEquals(2 / 1000.0, f.getFloat(2, 0, 5, 5), 1e-7);
            assertEquals(0.0, f.getFloat(2, 0, 1, 2), 0.0);
            assertEquals(0.0, f.getFloat(2, 0, 6, 5), 0.0);
            assertEquals(16 * 2 / 1000.0, f.slice(2).sumNumber().doubleValue(), 1e-6);
        }
        DataPipeline normalised = DataPipeline.builder(data, InputShape.image(1, 8, 8)).resize(Resize.PAD).build();
        Normalization stats = normalised.normalization();
        try (PipelineIterator it = normalised.test()) {
            INDArray f = it.next().getFeatures();
            assertEquals(-stats.mean()[0] / stats.std()[0], f.getFloat(0, 0, 0, 0), 1e-5, "the border is black");
            assertEquals((0.002 - stats.mean()[0]) / stats.std()[0], f.getFloat(2, 0, 3, 3), 1e-5);
        }
        assertOneLine(assertThrows(UserInputException.class,
                () -> DataPipeline.builder(data, InputShape.image(1, 2, 2)).resize(Resize.PAD).build()), "cannot pad");
    }

    @Test
    void normalisedTrainingBatchesHaveZeroMeanAndUnitStdPerChannel() {
        LoadedDataset data = Datasets.load("synthetic",
                DataOptions.defaults().withShape(InputShape.image(3, 6, 6)).withLimit(300).withTestLimit(10));
        DataPipeline pipeline = DataPipeline.builder(data, data.shape()).batchSize(64).build();
        Normalization stats = pipeline.normalization();
        INDArray features = data.train().getFeatures();
        for (int c = 0; c < 3; c++) {
            INDArray channel = features.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            assertEquals(channel.meanNumber().doubleValue(), stats.mean()[c], 1e-5);
            assertEquals(channel.stdNumber().doubleValue(), stats.std()[c], 2e-3); // sample vs population std
        }
        List<INDArray> batches = new ArrayList<>();
        try (PipelineIterator it = pipeline.train()) {
            it.forEachRemaining(b -> batches.add(b.getFeatures()));
        }
        INDArray all = Nd4j.concat(0, batches.toArray(INDArray[]::new));
        INDArray mean = all.mean(0, 2, 3);
        INDArray std = all.std(false, 0, 2, 3);
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, mean.getDouble(c), 1e-4);
            assertEquals(1.0, std.getDouble(c), 1e-4);
        }
    }

    @Test
    void greyStatisticsAreSharedByTheThreeCopies() {
        LoadedDataset data = indexed(40);
        Normalization stats = DataPipeline.builder(data, InputShape.image(3, 4, 4)).build().normalization();
        assertEquals(3, stats.mean().length);
        assertEquals(39 / 2000.0, stats.mean()[0], 1e-6);
        assertEquals(stats.mean()[0], stats.mean()[2], 0.0);
        assertEquals(stats.std()[0], stats.std()[1], 0.0);
    }

    @Test
    void validationSplitIsHeldOutOfTraining() {
        LoadedDataset data = indexed(50);
        DataPipeline pipeline = raw(data, 8).validationFraction(0.2).build();
        assertEquals(40, pipeline.trainSize());
        assertEquals(10, pipeline.validationSize());
        try (PipelineIterator train = pipeline.train(); PipelineIterator validation = pipeline.validation()) {
            List<Integer> t = order(train);
            List<Integer> v = order(validation);
            assertEquals(v.stream().sorted().toList(), v, "validation in order");
            List<Integer> union = new ArrayList<>(t);
            union.addAll(v);
            assertEquals(IntStream.range(0, 50).boxed().toList(), union.stream().sorted().toList(), "disjoint, complete");
        }
        assertEquals(v(raw(data, 8)), v(raw(data, 8)), "same seed, same hold-out");
        assertNotEquals(v(raw(data, 8)), v(raw(data, 9)));
    }

    private static List<Integer> v(DataPipeline.Builder builder) {
        try (PipelineIterator it = builder.validationFraction(0.2).build().validation()) {
            return order(it);
        }
    }

    @Test
    void sequencesAreGatheredUnchanged() {
        INDArray features = Nd4j.rand(DataType.FLOAT, 6, 5, 7);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 6, 2, 7);
        DataSet set = new DataSet(features, labels);
        LoadedDataset data = new LoadedDataset("seq", set, set, InputShape.sequence(5, 7), List.of("a", "b"));
        try (PipelineIterator it = DataPipeline.builder(data, InputShape.sequence(5, 7)).batchSize(4).build().test()) {
            DataSet first = it.next();
            assertEquals(features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)), first.getFeatures());
            assertEquals(labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)), first.getLabels());
            assertArrayEquals(new long[]{2, 5, 7}, it.next().getFeatures().shape());
        }
    }

    @Test
    void mismatchedInputsAreUserErrors() {
        LoadedDataset data = indexed(5);
        assertOneLine(assertThrows(UserInputException.class,
                () -> DataPipeline.builder(data, InputShape.image(4, 4, 4)).build()), "4-channel");
        assertOneLine(assertThrows(UserInputException.class,
                () -> DataPipeline.builder(data, InputShape.sequence(28, 28)).build()), "takes sequences");
    }

    @Test
    void feedsDl4jTrainingAndCountsTheWait() {
        LoadedDataset data = Datasets.load("synthetic",
                DataOptions.defaults().withShape(InputShape.image(1, 8, 8)).withLimit(600).withTestLimit(200));
        InputShape input = InputShape.image(1, 8, 8);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2))
                .graphBuilder().addInputs("input").setInputTypes(input.toInputType())
                .addLayer("hidden", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("output").build();
        ComputationGraph model = new ComputationGraph(conf);
        model.init();
        DataPipeline pipeline = DataPipeline.builder(data, input).batchSize(50).seed(5).build();
        try (PipelineIterator train = pipeline.train(); PipelineIterator test = pipeline.test()) {
            LoadingStats before = train.stats();
            model.fit(train);
            LoadingStats epoch1 = train.stats().minus(before);
            model.fit(train); // DL4J resets the spent iterator: a second, reshuffled epoch
            model.fit(train);
            LoadingStats total = train.stats();
            assertEquals(12, epoch1.batches());
            assertEquals(600, epoch1.examples());
            assertEquals(36, total.batches());
            assertTrue(total.elapsedNanos() > 0 && total.producedNanos() > 0, total.toString());
            assertTrue(total.waitShare() >= 0 && total.waitShare() <= 1, total.toString());
            Evaluation eval = model.evaluate(test);
            assertTrue(eval.accuracy() > 0.6, "synthetic classes are learnable: " + eval.accuracy());
            assertEquals(200, test.stats().examples());
        }
    }

    /** {@code n} grey 4x4 images whose pixel (y, x) is {@code 1 + 4y + x}, so a pixel names its place. */
    private static LoadedDataset numberedPixels(int n) {
        INDArray features = Nd4j.create(DataType.FLOAT, n, 1, 4, 4);
        INDArray labels = Nd4j.create(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 16; p++) {
                features.putScalar(new long[]{i, 0, p / 4, p % 4}, 1 + p);
            }
            labels.putScalar(i, 0, 1);
        }
        DataSet set = new DataSet(features, labels);
        return new LoadedDataset("numbered", set, set.copy(), InputShape.image(1, 4, 4), CLASSES);
    }

    /** Plane {@code src} (side x side) shifted by (dy, dx), mirrored first if {@code flip}; 0 outside. */
    private static float[] shifted(float[] src, int side, int dy, int dx, boolean flip) {
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sy = y + dy;
                int sx = (flip ? side - 1 - x : x) + dx;
                out[y * side + x] = sy >= 0 && sy < side && sx >= 0 && sx < side ? src[sy * side + sx] : 0;
            }
        }
        return out;
    }

    /** The (dy, dx, flip) that makes {@code image} from {@code src}, or null if none within {@code pad}. */
    private static String placement(float[] image, float[] src, int side, int pad) {
        for (int dy = -pad; dy <= pad; dy++) {
            for (int dx = -pad; dx <= pad; dx++) {
                for (boolean flip : new boolean[]{false, true}) {
                    if (Arrays.equals(image, shifted(src, side, dy, dx, flip))) {
                        return dy + "," + dx + "," + flip;
                    }
                }
            }
        }
        return null;
    }

    private static List<float[]> images(PipelineIterator it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            INDArray f = it.next().getFeatures();
            for (int k = 0; k < f.size(0); k++) {
                out.add(f.slice(k).dup().data().asFloat());
            }
        }
        return out;
    }

    @Test
    void trainingImagesAreRandomlyCroppedFromAPaddedCopyAndFlippedTestImagesNot() {
        LoadedDataset data = numberedPixels(200);
        Augmentation crops = new Augmentation(1, true);
        // 4x4 padded to 6x6 first, as Fashion-MNIST's 28x28 to 32x32: the crop shifts the padded image.
        InputShape six = InputShape.image(1, 6, 6);
        float[] padded;
        try (PipelineIterator plain = DataPipeline.builder(data, six).resize(Resize.PAD).normalize(false).batchSize(16)
                .build().test()) {
            padded = images(plain).get(0);
        }
        DataPipeline.Builder augmented = DataPipeline.builder(data, six).resize(Resize.PAD).normalize(false)
                .batchSize(16).seed(5).augmentation(crops);
        Set<String> placements = new HashSet<>();
        List<float[]> first;
        try (PipelineIterator train = augmented.build().train(); PipelineIterator again = augmented.build().train();
             PipelineIterator test = augmented.build().test()) {
            first = images(train);
            for (float[] image : first) {
                String p = placement(image, padded, 6, 1);
                assertTrue(p != null, "every training image is a shift within 1 pixel, flipped or not");
                placements.add(p);
            }
            List<float[]> repeat = images(again);
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), repeat.get(i), "the same seed draws the same crops and flips");
            }
            for (float[] image : images(test)) {
                assertArrayEquals(padded, image, "test images stay whole");
            }
        }
        assertEquals(18, placements.size(), "all 9 offsets, flipped and not, among 200 draws");
    }

    @Test
    void cropsAndFlipsOfSequencesAreRefusedInOneLine() {
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 5, 7);
        INDArray labels = Nd4j.create(DataType.FLOAT, 4, 2);
        DataSet set = new DataSet(features, labels);
        LoadedDataset data = new LoadedDataset("seq", set, set, InputShape.sequence(5, 7), List.of("a", "b"));
        assertOneLine(assertThrows(UserInputException.class, () -> DataPipeline.builder(data, InputShape.sequence(5, 7))
                .augmentation(Augmentation.CROPS_AND_FLIPS).build()), "random crops and flips apply to images");
    }
}
