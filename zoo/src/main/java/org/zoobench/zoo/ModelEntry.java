package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.zoobench.UserInputException;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One registered model or variant: its name, what it is, the input and class count it is published at,
 * how to configure it for any other input and class count, and its relations to other entries, which suites
 * query rather than spell out names.
 *
 * @param family  the family's base name, shared by its variants (e.g. "alexnet-mini" for every mini AlexNet)
 * @param variant what sets it apart within its family (e.g. "full network", "remove fc7"); empty for a family of one
 * @param twin    the registered name of the net it is compared with layer for layer: a recurrent net's causal
 *                (or, for a causal one, bidirectional) twin, a residual net's plain one and back; null if none
 */
public record ModelEntry(String name, String description, InputShape defaultInput, int defaultClasses,
                         Function<ModelOptions, ComputationGraphConfiguration> factory, String family, String variant,
                         String twin) {

    /** A model of its own: its own family, no variant, no twin. */
    public ModelEntry(String name, String description, InputShape defaultInput, int defaultClasses,
                      Function<ModelOptions, ComputationGraphConfiguration> factory) {
        this(name, description, defaultInput, defaultClasses, factory, name, "", null);
    }

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
