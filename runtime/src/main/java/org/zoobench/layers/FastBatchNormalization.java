package org.zoobench.layers;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch norm layer, except that around its helper ({@link NativeBatchNormHelper}) the running
 * statistics are read and updated in Java loops over the channels. DL4J does that with libnd4j ops on vectors of a
 * few dozen values: three per forward pass (the variance from the stored log10 of the standard deviation) and
 * eleven per backward pass (the updates of the running mean and log10 std), each costing a native op's fixed
 * overhead. That was three quarters of the libnd4j ops of a ResNet-20 training step and two thirds of
 * DenseNet-121's (docs/fast-layers.md). The arithmetic is DL4J's, in float32 as DL4J's ops compute it;
 * {@code pow} and {@code log} are Java's, which can differ from libnd4j's in the last bit. Same configuration,
 * parameters, gradient views and helper: only the implementation object in the graph changes
 * ({@link #swapBatchNormLayers}). Other types (double for gradient checks), locked gamma and beta, sequence input
 * and other helpers run DL4J's code.
 */
final class FastBatchNormalization extends BatchNormalization {

    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));

    private FastBatchNormalization(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(x) || x.size(channelAxis(x)) != layerConf().getNOut()) {
            return super.preOutput(x, training, workspaceMgr); // DL4J's code, or its message for a wrong input
        }
        var conf = layerConf();
        boolean train = training == TrainingMode.TRAIN;
        INDArray in = x.rank() == 2 ? x.reshape(x.ordering(), x.size(0), x.size(1), 1, 1) : x;
        // The running variance is read only by an inference pass that normalises: the helper normalises a training
        // batch by its own statistics, and hands on an input the convolution before already normalised.
        boolean readsVariance = !train
                && !(helper() instanceof NativeBatchNormHelper nativeHelper && nativeHelper.handsOnFolded(in));
        INDArray ret = helper().preOutput(in, train, getShape(x), getParam(BatchNormalizationParamInitializer.GAMMA),
                getParam(BatchNormalizationParamInitializer.BETA),
                getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN), readsVariance ? runningVarianceArray() : null,
                conf.getDecay(), conf.getEps(), conf.getCnn2DFormat(), workspaceMgr);
        if (ret == null) { // the helper failed and counted it (Fallbacks): DL4J's Java code, as DL4J would
            return withoutHelper(() -> super.preOutput(x, training, workspaceMgr));
        }
        return x.rank() == 2 ? ret.reshape(ret.ordering(), ret.size(0), ret.size(1)) : ret;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(epsilon) || input == null || !handles(input)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        var conf = layerConf();
        INDArray in = input;
        INDArray eps = epsilon;
        if (input.rank() == 2) {
            long[] asImage = conf.getCnn2DFormat() == CNN2DFormat.NCHW ? new long[]{input.size(0), input.size(1), 1, 1}
                    : new long[]{input.size(0), 1, 1, input.size(1)};
            in = input.reshape(input.ordering(), asImage);
            eps = epsilon.reshape(epsilon.ordering(), asImage);
        }
        Pair<Gradient, INDArray> ret = helper().backpropGradient(in, eps, getShape(epsilon),
                getParam(BatchNormalizationParamInitializer.GAMMA), getParam(BatchNormalizationParamInitializer.BETA),
                gradientViews.get(BatchNormalizationParamInitializer.GAMMA),
                gradientViews.get(BatchNormalizationParamInitializer.BETA), conf.getEps(), conf.getCnn2DFormat(),
                workspaceMgr);
        if (ret == null) {
            return withoutHelper(() -> super.backpropGradient(epsilon, workspaceMgr));
        }
        String varianceKey = conf.isUseLogStd() ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR;
        INDArray meanUpdate = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray varianceUpdate = gradientViews.get(varianceKey);
        ret.getFirst().setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, meanUpdate);
        ret.getFirst().setGradientFor(varianceKey, varianceUpdate);
        if (input.rank() == 2) {
            INDArray e = ret.getSecond();
            ret.setSecond(e.reshape(e.ordering(), e.size(0), e.size(1)));
        }
        writeRunningStatisticUpdates(meanUpdate, varianceUpdate, getParam(varianceKey));
        return ret;
    }

    /**
     * DL4J's updates of the running statistics, applied by the updater as {@code param -= update} so that they add
     * up across data-parallel workers: {@code (1 − d)(μ − μ_batch)} for the mean; for the variance either
     * {@code (1 − d)(σ² − σ²_batch)} or, where the layer stores log10 of the standard deviation,
     * {@code log10(σ_t / σ_t+1) = ln(σ²_t / σ²_t+1) / (2 ln 10)} with {@code σ²_t+1 = d σ²_t + (1 − d) σ²_batch}.
     */
    private void writeRunningStatisticUpdates(INDArray meanUpdate, INDArray varianceUpdate, INDArray storedVariance) {
        var conf = layerConf();
        float decay = (float) conf.getDecay();
        float keep = (float) (1 - conf.getDecay());
        float[] mean = BlasMatrix.read(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
        float[] batchMean = BlasMatrix.read(helper().getMeanCache(dataType));
        float[] batchVariance = BlasMatrix.read(helper().getVarCache(dataType));
        float[] stored = BlasMatrix.read(storedVariance);
        float[] meanDelta = new float[mean.length];
        float[] varianceDelta = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            meanDelta[c] = (mean[c] - batchMean[c]) * keep;
            if (conf.isUseLogStd()) {
                float variance = (float) Math.pow(10, stored[c]);
                variance *= variance;
                float next = variance * decay + batchVariance[c] * keep;
                varianceDelta[c] = (float) Math.log(variance / next) * (float) ONE_ON_2LOGE_10;
            } else {
                varianceDelta[c] = (stored[c] - batchVariance[c]) * keep;
            }
        }
        BlasMatrix.write(meanUpdate, meanDelta);
        BlasMatrix.write(varianceUpdate, varianceDelta);
    }

    /** The running variance as inference uses it, in the current workspace. */
    private INDArray runningVarianceArray() {
        float[] variance = runningVariance(this);
        INDArray array = Nd4j.createUninitialized(dataType, variance.length);
        BlasMatrix.write(array, variance);
        return array;
    }

    /** The running variance of a batch norm layer, from log10 of the standard deviation where it stores that. */
    static float[] runningVariance(BatchNormalization norm) {
        var conf = (org.deeplearning4j.nn.conf.layers.BatchNormalization) norm.conf().getLayer();
        if (!conf.isUseLogStd()) {
            return BlasMatrix.read(norm.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR));
        }
        float[] variance = BlasMatrix.read(norm.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
        for (int c = 0; c < variance.length; c++) {
            double std = Math.pow(10, variance[c]);
            variance[c] = (float) (std * std);
        }
        return variance;
    }

    /**
     * Per channel, the factor {@code γ/√(var + ε)} by which an inference batch norm multiplies {@code x − μ}
     * ({@code gamma} null: a layer without γ, factor {@code 1/√(var + ε)}); what folding it into a convolution or a
     * per-channel scaling derives from.
     */
    static double[] inferenceFactors(float[] gamma, float[] variance, double eps) {
        double[] factors = new double[variance.length];
        for (int c = 0; c < factors.length; c++) {
            factors[c] = (gamma == null ? 1 : gamma[c]) / Math.sqrt(variance[c] + eps);
        }
        return factors;
    }

    /**
     * Float32 image or vector batches through the helper (the fast layers plug {@link NativeBatchNormHelper} into
     * every layer of this class), with gamma and beta learnt: what this class computes.
     */
    private boolean handles(INDArray x) {
        return getHelper() instanceof BatchNormalizationHelper && x.dataType() == DataType.FLOAT
                && dataType == DataType.FLOAT
                && (x.rank() == 4 || x.rank() == 2) && !layerConf().isLockGammaBeta();
    }

    private int channelAxis(INDArray x) {
        return x.rank() == 4 && layerConf().getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
    }

    private BatchNormalizationHelper helper() {
        return (BatchNormalizationHelper) getHelper();
    }

    /** Runs DL4J's own code with the helper unplugged, as DL4J does after a helper failed. */
    private <T> T withoutHelper(Supplier<T> stockCode) {
        Object helper = getHelper();
        LayerImpl.setHelper(BatchNormalization.class, this, null);
        try {
            return stockCode.get();
        } finally {
            LayerImpl.setHelper(BatchNormalization.class, this, helper);
        }
    }

    /**
     * Puts a {@code FastBatchNormalization} (for {@code fast}) or DL4J's own batch norm layer in place of every
     * batch norm layer of {@code graph}, sharing its configuration, parameters, gradient views and helper.
     */
    static void swapBatchNormLayers(ComputationGraph graph, boolean fast) {
        GraphSwaps.swapLayersWithTheirState(graph, FastBatchNormalization::swappable, FastBatchNormalization.class,
                fast, old -> {
                    DataType dataType = old.params().dataType();
                    BatchNormalization replacement = fast ? new FastBatchNormalization(old.conf(), dataType)
                            : new BatchNormalization(old.conf(), dataType);
                    LayerImpl.setHelper(BatchNormalization.class, replacement, old.getHelper());
                    return replacement;
                });
    }

    /** A plain DL4J batch norm layer (not a subclass with code of its own) or this one. */
    static boolean swappable(Layer layer) {
        return layer.getClass() == BatchNormalization.class || layer instanceof FastBatchNormalization;
    }
}
