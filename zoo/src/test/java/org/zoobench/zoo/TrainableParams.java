package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Trainable parameters of a configuration, counted without allocating the network (so 150M-parameter AlexNets
 * cost nothing): each layer's parameter count, less BatchNorm's running mean and variance, which DL4J keeps in
 * the parameter table but nobody trains. Test-local until the model profile (org.zoobench.zoo.profile) lands.
 */
public final class TrainableParams {

    private TrainableParams() {
    }

    public static long count(ComputationGraphConfiguration configuration) {
        long total = 0;
        for (GraphVertex vertex : configuration.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                NeuralNetConfiguration conf = layerVertex.getLayerConf();
                Layer layer = conf.getLayer();
                total += layer.initializer().numParams(conf);
                if (layer instanceof BatchNormalization batchNorm) {
                    total -= 2 * batchNorm.getNOut();
                }
            } else {
                total += vertex.numParams(false);
            }
        }
        return total;
    }
}
