package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One registered model or variant: its name, what it is, the input and class count it is published at,
 * and how to configure it for any other input and class count.
 */
public record ModelEntry(String name, String description, InputShape defaultInput, int defaultClasses,
                         Function<ModelOptions, ComputationGraphConfiguration> factory) {

    public ModelOptions defaultOptions() {
        return ModelOptions.of(defaultClasses, defaultInput);
    }

    /** The configuration at the given options; shape problems become a one-line {@link UserInputException}. */
    public ComputationGraphConfiguration configuration(ModelOptions options) {
        return ShapeErrors.configure(this, options);
    }

    public ComputationGraphConfiguration configuration() {
        return configuration(defaultOptions());
    }

    /** An initialised network with freshly drawn weights, running the options' layer implementation. */
    public ComputationGraph build(ModelOptions options) {
        return build(options, conf -> { });
    }

    /**
     * As {@link #build(ModelOptions)}, with {@code adjust} applied to the configuration first (a training recipe's
     * regularisation, say): every graph that trains or infers is made here, so every one runs its implementation.
     */
    public ComputationGraph build(ModelOptions options, Consumer<ComputationGraphConfiguration> adjust) {
        ComputationGraphConfiguration conf = configuration(options);
        adjust.accept(conf);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return options.impl().apply(graph);
    }

    /** The same model behind deeplearning4j-zoo's {@code ZooModel} contract. */
    public ZooBenchModel zooModel(ModelOptions options) {
        return new ZooBenchModel(this, options);
    }
}
