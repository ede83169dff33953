package org.zoobench.zoo.profile;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The profile's MACs against the GFLOPS column of torchvision's model documentation (multiply-accumulates of
 * convolutions and fully connected layers at 224x224, to two decimals), for every registered model that follows
 * a torchvision architecture. Models not registered yet are simply not in the stream.
 */
class TorchvisionGflopsTest {

    private static final Map<String, Double> TORCHVISION_GFLOPS = new LinkedHashMap<>();

    static {
        TORCHVISION_GFLOPS.put("alexnet", 0.71);
        TORCHVISION_GFLOPS.put("googlenet-torchvision", 1.50);
        TORCHVISION_GFLOPS.put("resnet18", 1.81);
        TORCHVISION_GFLOPS.put("resnet34", 3.66);
        TORCHVISION_GFLOPS.put("resnet50", 4.09);
        TORCHVISION_GFLOPS.put("resnet101", 7.80);
        TORCHVISION_GFLOPS.put("resnet152", 11.51);
        TORCHVISION_GFLOPS.put("densenet121", 2.83);
        TORCHVISION_GFLOPS.put("densenet169", 3.36);
        TORCHVISION_GFLOPS.put("densenet201", 4.29);
        TORCHVISION_GFLOPS.put("densenet161", 7.73);
        TORCHVISION_GFLOPS.put("dl4j-vgg16", 15.47);
    }

    @TestFactory
    Stream<DynamicTest> macsMatchTorchvision() {
        return TORCHVISION_GFLOPS.entrySet().stream()
                .filter(e -> ModelRegistry.names().contains(e.getKey()))
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    ModelEntry entry = ModelRegistry.get(e.getKey());
                    long macs = ModelProfile.of(entry, entry.defaultOptions()).macs();
                    assertEquals(e.getValue(), Math.round(macs / 1e7) / 100.0, e.getKey() + ": " + macs + " MACs");
                }));
    }
}
