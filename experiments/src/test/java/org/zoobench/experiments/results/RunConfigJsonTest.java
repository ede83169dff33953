package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.zoobench.zoo.InputShape;
import org.zoobench.layers.LayerImpl;
import org.zoobench.parallel.WorkerMode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run's id hashes its config's JSON: the typed fields must write exactly the strings records have always held,
 * or committed results would no longer resume.
 */
class RunConfigJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Configs as committed records under experiments/results/ hold them, with the run ids of their folders. */
    private static final String PLAIN20 = "{\"model\":\"plain20\",\"dataset\":\"fashion-mnist\",\"input\":\"1x32x32\","
            + "\"resize\":\"pad\",\"classes\":10,\"epochs\":2,\"batchSize\":64,\"updater\":\"adam\","
            + "\"learningRate\":0.001,\"seed\":1,\"trainLimit\":4000,\"testLimit\":2000,\"targetAccuracy\":80.0,"
            + "\"bootstrapSamples\":1000,\"layers\":\"fast\"}";
    private static final String BILSTM = "{\"model\":\"bilstm-max\",\"dataset\":\"fashion-mnist-rows\","
            + "\"input\":\"28x28\",\"resize\":\"bilinear\",\"classes\":10,\"epochs\":2,\"batchSize\":64,"
            + "\"updater\":\"adam\",\"learningRate\":0.001,\"seed\":1,\"trainLimit\":4000,\"testLimit\":2000,"
            + "\"targetAccuracy\":80.0,\"bootstrapSamples\":2000,\"layers\":\"fast\"}";
    private static final String ALEXNET_FC2048 = "{\"model\":\"alexnet-mini-fc2048\",\"dataset\":\"fashion-mnist\","
            + "\"input\":\"1x28x28\",\"resize\":\"bilinear\",\"classes\":10,\"epochs\":8,\"batchSize\":128,"
            + "\"updater\":\"adam\",\"learningRate\":0.002,\"seed\":1,\"trainLimit\":0,\"testLimit\":0,"
            + "\"targetAccuracy\":88.0,\"bootstrapSamples\":2000,\"layers\":\"fast\",\"lrSchedule\":\"linear\"}";
    /** The ImageNet recipe: crops, Nesterov momentum, weight decay and a plateau schedule. */
    private static final String IMAGENET = "{\"model\":\"alexnet\",\"dataset\":\"image-folder\","
            + "\"input\":\"3x224x224\",\"resize\":\"crop\",\"classes\":1000,\"epochs\":70,\"batchSize\":128,"
            + "\"updater\":\"nesterovs\",\"learningRate\":0.01,\"seed\":1,\"trainLimit\":0,\"testLimit\":0,"
            + "\"targetAccuracy\":59.5,\"bootstrapSamples\":1000,\"layers\":\"fast\",\"weightDecay\":5.0E-4,"
            + "\"lrPatience\":2}";

    @Test
    void committedConfigsReadBackToTheSameJsonAndRunIds() throws IOException {
        assertEquals("plain20_seed1_ac531380", roundTrip(PLAIN20).runId());
        assertEquals("bilstm-max_seed1_227f8802", roundTrip(BILSTM).runId());
        assertEquals("alexnet-mini-fc2048_seed1_3c685ae2", roundTrip(ALEXNET_FC2048).runId());
        RunConfig imagenet = roundTrip(IMAGENET);
        assertEquals(InputShape.image(3, 224, 224), imagenet.input());
        assertEquals(ResizeMode.CROP, imagenet.resize());
        assertEquals(Updater.NESTEROVS, imagenet.updater());
        assertEquals(InputShape.sequence(28, 28), roundTrip(BILSTM).input());
    }

    /** The typed fields no committed record holds yet, written as the strings the run id has always hashed. */
    @Test
    void workersAndAStepScheduleReadBackFromTheirStrings() throws IOException {
        String json = PLAIN20.substring(0, PLAIN20.length() - 1) + ",\"lrSchedule\":\"step:12,18\","
                + "\"dataParallel\":{\"workers\":2,\"mode\":\"shared-gradients\"}}";
        RunConfig config = roundTrip(json);
        assertEquals(LrSchedule.steps(12, 18), config.lrSchedule());
        assertEquals(new DataParallel(2, WorkerMode.SHARED_GRADIENTS), config.dataParallel());
        assertEquals(LrSchedule.CONSTANT, roundTrip(PLAIN20).lrSchedule(), "a constant rate is left out");
        assertEquals(LayerImpl.STOCK, JSON.readValue(PLAIN20.replace(",\"layers\":\"fast\"", ""), RunConfig.class)
                .layers(), "records from before fast layers ran on the stock ones");
    }

    @Test
    void aConfigTravelsToSparkExecutorsWhole() throws IOException, ClassNotFoundException {
        RunConfig config = JSON.readValue(IMAGENET, RunConfig.class)
                .withDataParallel(new DataParallel(2, WorkerMode.AVERAGING));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(config, in.readObject());
        }
    }

    @Test
    void publishedParamsKeepTheirRecordedName() throws IOException {
        String json = JSON.writeValueAsString(RunRecord.builder().runId("r").suite("s").group("g")
                .config(JSON.readValue(PLAIN20, RunConfig.class)).status(RunRecord.FINISHED).paramCount(1)
                .publishedParamCount(61_100_840).epochs(List.of()).build());
        assertEquals(61_100_840, JSON.readTree(json).get("imagenetParamCount").asLong());
        assertEquals(61_100_840, JSON.readValue(json, RunRecord.class).publishedParamCount());
    }

    private static RunConfig roundTrip(String json) throws IOException {
        RunConfig config = JSON.readValue(json, RunConfig.class);
        assertEquals(json, JSON.writeValueAsString(config));
        return config;
    }
}
