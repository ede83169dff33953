package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.List;

/**
 * One vertex of a graph at one input shape.
 *
 * @param name            vertex name in the graph
 * @param type            DL4J layer class for layer vertices, vertex class otherwise
 * @param detail          kernel, stride and padding of convolutions and poolings; empty otherwise
 * @param inputs          names of the vertices feeding this one
 * @param outputType      DL4J's inferred activation type (per example)
 * @param trainableParams parameters an optimiser updates (BatchNorm's running statistics excluded)
 * @param macs            multiply-accumulates per example (convolutions, fully connected and recurrent layers)
 * @param activationBytes bytes of this vertex's output per example at the network's data type
 */
public record LayerProfile(String name, String type, String detail, List<String> inputs, InputType outputType,
                           long trainableParams, long macs, long activationBytes) {

    /** Output shape per example: {@code CxHxW} for images, {@code FxT} for sequences, {@code N} for vectors. */
    public String outputShape() {
        return Shapes.format(outputType);
    }
}
