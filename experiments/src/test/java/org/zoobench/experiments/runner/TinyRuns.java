package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.blocks.ConvBlocks;
import org.zoobench.zoo.blocks.Graphs;

/** A tiny CNN and small synthetic data, so runner tests train real networks in a second or two. */
public final class TinyRuns {

    public static final InputShape SHAPE = InputShape.image(1, 8, 8);

    static {
        System.setProperty("zoobench.progress", "false");
    }

    private TinyRuns() {
    }

    public static ModelEntry tinyCnn(String name) {
        return new ModelEntry(name, "test CNN: conv 3x3x4, dense 16, softmax", SHAPE, 10, options -> {
            var graph = Graphs.start(options);
            String x = ConvBlocks.convRelu(graph, "conv", Graphs.INPUT, 4, 3, 1, 1);
            graph.addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), x);
            return Graphs.classifier(graph, "dense", options.numClasses()).build();
        });
    }

    /** Synthetic 1x8x8 data (seeded prototypes plus noise) through the real data pipeline. */
    public static DataProvider syntheticData() {
        return new DataProvider(Datasets::load, DataOptions.defaults().withShape(SHAPE));
    }

    public static RunConfig config(String model, long seed) {
        return RunConfig.builder().model(model).dataset("synthetic").input(SHAPE).resize(ResizeMode.BILINEAR)
                .classes(10).epochs(2).batchSize(32).updater(Updater.ADAM).learningRate(1e-2).seed(seed)
                .trainLimit(320).testLimit(200).targetAccuracy(50).bootstrapSamples(1000).layers(LayerImpl.FAST)
                .build();
    }
}
