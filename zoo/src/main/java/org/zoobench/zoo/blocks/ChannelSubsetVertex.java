package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Channels {@code from..to} (inclusive) of a feature map. DL4J 1.0.0-M2.1's {@link SubsetVertex} selects them
 * correctly at run time but reports {@code from - to + 1} channels to shape inference for convolutional
 * inputs, so every layer after it would get a negative nIn; this vertex only corrects the reported shape.
 */
public class ChannelSubsetVertex extends SubsetVertex {

    public ChannelSubsetVertex(@JsonProperty("from") int from, @JsonProperty("to") int to) {
        super(from, to);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length == 1 && vertexInputs[0] instanceof InputType.InputTypeConvolutional in) {
            if (getTo() >= in.getChannels()) {
                throw new InvalidInputTypeException("channels " + getFrom() + ".." + getTo()
                        + " requested from a feature map with " + in.getChannels() + " channels");
            }
            return InputType.convolutional(in.getHeight(), in.getWidth(), getTo() - getFrom() + 1, in.getFormat());
        }
        return super.getOutputType(layerIndex, vertexInputs);
    }

    @Override
    public ChannelSubsetVertex clone() {
        return new ChannelSubsetVertex(getFrom(), getTo());
    }
}
