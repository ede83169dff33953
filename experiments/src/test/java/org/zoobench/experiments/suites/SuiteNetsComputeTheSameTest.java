package org.zoobench.experiments.suites;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.layers.StockVsFast;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every net a suite trains computes the same with the fast layers as with DL4J's own, in float32 (what the suites
 * train in), at the input and class count its suite plans it at: every suite's quick and full plan on the default
 * data, and the AlexNet ablation at ImageNet scale, within {@value #TOLERANCE} ({@link StockVsFast} says how an
 * ill-conditioned net is held instead).
 */
class SuiteNetsComputeTheSameTest {

    private static final double TOLERANCE = 1e-4;
    private static final int BATCH = 2;

    private static final List<SuiteOptions> PLANS = List.of(
            SuiteOptions.of(false, SuiteOptions.DataChoice.FASHION_MNIST),
            SuiteOptions.of(true, SuiteOptions.DataChoice.FASHION_MNIST),
            new SuiteOptions(false, SuiteOptions.Scale.IMAGENET,
                    new SuiteOptions.DataChoice(AlexNetAblationSuite.IMAGE_FOLDER, InputShape.image(3, 375, 500), 1000),
                    null));

    @TestFactory
    Stream<DynamicTest> everyNetASuiteTrainsComputesTheSameInFloat() {
        Map<String, RunConfig> nets = new LinkedHashMap<>(); // one per model, input and classes
        for (String name : Suites.names()) {
            Suite suite = Suites.get(name);
            for (SuiteOptions options : PLANS) {
                if (options.scale() == SuiteOptions.Scale.IMAGENET && !name.equals(AlexNetAblationSuite.NAME)) {
                    continue; // the other suites train at the mini scale only
                }
                for (RunSpec run : suite.plan(options).runs()) {
                    RunConfig c = run.config();
                    nets.putIfAbsent(c.model() + " " + c.input() + " " + c.classes() + " classes", c);
                }
            }
        }
        return nets.entrySet().stream().map(net -> dynamicTest(net.getKey(), () -> {
            RunConfig c = net.getValue();
            ModelEntry entry = ModelRegistry.get(c.model());
            try {
                StockVsFast.compare(entry, entry.defaultOptions().withInput(c.input()).withClasses(c.classes()),
                        BATCH, TOLERANCE);
            } catch (AssertionError e) { // surefire's report names no dynamic test
                throw new AssertionError(net.getKey() + ": " + e.getMessage(), e);
            }
        }));
    }
}
