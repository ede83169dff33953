package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.zoobench.zoo.ModelOptions;

/** Start and end of every zoo graph, so all models share seed, updater, data type and initialisation. */
public final class Graphs {

    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private Graphs() {
    }

    /**
     * A graph builder with one input named {@value #INPUT} whose shape is the options' input. Convolutions use
     * explicit padding (Truncate mode) so layer tables read like the papers'. He initialisation suits the ReLU nets.
     */
    public static GraphBuilder start(ModelOptions options) {
        return new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .updater(options.updater())
                .dataType(options.dataType())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(options.input().toInputType());
    }

    /** Softmax classifier named {@value #OUTPUT} on top of {@code input} (nIn inferred), trained with cross-entropy. */
    public static GraphBuilder classifier(GraphBuilder graph, String input, int numClasses) {
        return graph.addLayer(OUTPUT, new OutputLayer.Builder(LossFunction.MCXENT)
                        .nOut(numClasses)
                        .activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER)
                        .build(), input)
                .setOutputs(OUTPUT);
    }
}
