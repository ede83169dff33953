package org.zoobench.zoo;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.ModelMetaData;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.ZooType;

/**
 * Adapter to deeplearning4j-zoo's model contract, so ZooBench models drop into code written for DL4J's zoo.
 * No pretrained weights exist for these models.
 */
public final class ZooBenchModel extends ZooModel<ZooBenchModel> {

    private final ModelEntry entry;
    private ModelOptions options;

    ZooBenchModel(ModelEntry entry, ModelOptions options) {
        this.entry = entry;
        this.options = options;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ComputationGraph init() {
        return entry.build(options);
    }

    @Override
    public ModelMetaData metaData() {
        int[] shape;
        if (options.input() instanceof InputShape.Sequence s) {
            shape = new int[]{s.features(), s.length()};
        } else {
            InputShape.Image i = options.input().image();
            shape = new int[]{i.channels(), i.height(), i.width()};
        }
        return new ModelMetaData(new int[][]{shape}, 1, ZooType.CNN);
    }

    /** DL4J's convention: {@code {{channels, height, width}}} for images, {@code {{features, steps}}} for sequences. */
    @Override
    public void setInputShape(int[][] inputShape) {
        int[] s = inputShape[0];
        InputShape shape = s.length == 3 ? InputShape.image(s[0], s[1], s[2]) : InputShape.sequence(s[0], s[1]);
        options = options.withInput(shape);
    }

    @Override
    public Class<? extends Model> modelType() {
        return ComputationGraph.class;
    }

    @Override
    public String modelName() {
        return entry.name();
    }

    @Override
    public String pretrainedUrl(PretrainedType pretrainedType) {
        return null;
    }

    @Override
    public long pretrainedChecksum(PretrainedType pretrainedType) {
        return 0L;
    }

    public ModelOptions options() {
        return options;
    }
}
