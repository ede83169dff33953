package org.zoobench.zoo;

import org.junit.jupiter.api.Test;
import org.zoobench.zoo.models.AlexNet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The relations between entries that suites query instead of spelling names. */
class ModelRegistryTest {

    @Test
    void twinsAreRegisteredAndPointBack() {
        assertEquals("lstm-max", ModelRegistry.get("bilstm-max").twin());
        assertEquals("bilstm-max", ModelRegistry.get("lstm-max").twin());
        assertEquals("lstm-max", ModelRegistry.get("bilstm-max-add").twin(), "a merge variant's causal twin");
        assertEquals("plain56", ModelRegistry.get("resnet56").twin());
        assertEquals("resnet56", ModelRegistry.get("plain56").twin());
        assertEquals("plain56", ModelRegistry.get("resnet56-b").twin(), "option B's plain twin is option A's");
        assertEquals("plain18", ModelRegistry.get("resnet18").twin());
        assertNull(ModelRegistry.get("lenet5").twin());
        for (ModelEntry entry : ModelRegistry.all()) {
            if (entry.twin() != null) {
                assertEquals(entry.twin(), ModelRegistry.get(entry.twin()).name(), entry.name());
            }
        }
    }

    @Test
    void everyTable3RowIsRegisteredAtBothScalesUnderItsLabel() {
        for (AlexNet.Ablation row : AlexNet.ABLATIONS) {
            ModelEntry imagenet = ModelRegistry.variant(AlexNet.FAMILY, row.label());
            ModelEntry mini = ModelRegistry.variant(AlexNet.MINI_FAMILY, row.label());
            assertEquals("alexnet" + row.suffix(), imagenet.name());
            assertEquals("alexnet-mini" + row.suffix(), mini.name());
            assertEquals(row.net().describe(), imagenet.description());
            assertEquals(row.net().mini().describe(), mini.description());
        }
    }

    @Test
    void recurrentDescriptionsAreWordedFromTheNets() {
        assertEquals("bidirectional 2x64 LSTM, max over time (Fashion-MNIST rows)",
                ModelRegistry.get("bilstm-max").description());
        assertEquals("causal 2x64 LSTM, last step (Fashion-MNIST rows); twin of bilstm-last",
                ModelRegistry.get("lstm-last").description());
        assertEquals("bidirectional 2x64 LSTM, directions merged by add, max over time (Fashion-MNIST rows); causal "
                + "twin: lstm-max", ModelRegistry.get("bilstm-max-add").description());
        assertEquals("causal 1x32 simple RNN, one label per step (future-context); twin of birnn-tagger",
                ModelRegistry.get("rnn-tagger").description());
    }
}
