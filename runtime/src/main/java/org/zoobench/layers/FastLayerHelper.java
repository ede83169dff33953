package org.zoobench.layers;

import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.layers.LayerHelper;

/**
 * What the fast layers' DL4J helpers ({@link LayerImpl#FAST}) share: each supports every configuration it is
 * given (the layers it does not support never get it) and holds no memory of its own that DL4J should count.
 * A class rather than an interface with defaults, because DL4J's {@code ConvolutionHelper} declares
 * {@code checkSupported()} again.
 */
abstract class FastLayerHelper implements LayerHelper {

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }
}
