package org.zoobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryCommandTest {

    @Test
    void tableShowsEveryLayerAndTheTotals() {
        CliRun run = CliRun.of("summary", "dl4j-lenet");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());

        ModelProfile profile = ModelProfile.of(ModelRegistry.get("dl4j-lenet"),
                ModelRegistry.get("dl4j-lenet").defaultOptions());
        for (var layer : profile.layers()) {
            assertTrue(run.out().contains("\n" + layer.name() + " "), layer.name());
        }
        assertTrue(run.out().lines().anyMatch(l -> l.matches("total\\s+10\\s+1,256,080\\s+6,522,000\\s+.*")),
                run.out());
    }

    @Test
    void inputAndClassesOptionsChangeTheProfile() throws IOException {
        CliRun run = CliRun.of("summary", "dl4j-lenet", "--input", "1x32x32", "--classes", "5", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());

        JsonNode summary = new ObjectMapper().readTree(run.out());
        ModelProfile expected = ModelProfile.of(ModelRegistry.get("dl4j-lenet"), ModelRegistry.get("dl4j-lenet")
                .defaultOptions().withInput(InputShape.image(1, 32, 32)).withClasses(5));
        assertEquals("1x32x32", summary.get("input").asText());
        assertEquals(5, summary.get("classes").asInt());
        assertEquals("5", summary.get("output").asText());
        assertEquals(expected.trainableParams(), summary.get("params").asLong());
        assertEquals(expected.macs(), summary.get("macs").asLong());
        assertEquals(expected.layers().size(), summary.get("layers").size());
        JsonNode first = summary.get("layers").get(0);
        assertEquals(expected.layers().get(0).name(), first.get("name").asText());
        assertEquals(expected.layers().get(0).macs(), first.get("macs").asLong());
    }

    @Test
    void csvParsesBackOneRowPerLayer() throws IOException {
        CliRun run = CliRun.of("summary", "dl4j-textgenlstm", "--format", "csv");
        assertEquals(0, run.exitCode(), run.err());

        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(run.out()))) {
            assertEquals(List.of(SummaryCommand.CSV_HEADER), parser.getHeaderNames());
            rows = parser.getRecords();
        }
        assertEquals(List.of("layer0", "layer1", "layer2"), rows.stream().map(r -> r.get("name")).toList());
        assertEquals("256x40", rows.get(0).get("output"));
        assertEquals(40L * (4 * (47 + 256) * 256 + 3 * 256), Long.parseLong(rows.get(0).get("macs")));
        assertEquals("layer0", rows.get(1).get("inputs"));
    }

    @Test
    void unknownModelIsOneLineNamingTheClosestNames() {
        CliRun run = CliRun.of("summary", "dl4j-lenett");
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode());
        assertTrue(run.errIsOneLine(), run.err());
        assertTrue(run.err().startsWith("zoobench: unknown model 'dl4j-lenett'; closest registered names: dl4j-lenet"),
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void inputTooSmallIsOneLineNamingTheLayer() {
        CliRun run = CliRun.of("summary", "dl4j-resnet50", "--input", "3x64x64");
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode());
        assertEquals("zoobench: input 3x64x64 is too small for 'dl4j-resnet50': spatial size reaches zero at layer"
                + " 'avgpool' (kernel 3x3 on 1x1)\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void malformedOptionsAreOneLineUserErrors() {
        for (String[] args : List.of(
                new String[]{"summary", "dl4j-lenet", "--input", "28by28"},
                new String[]{"summary", "dl4j-lenet", "--classes", "0"},
                new String[]{"summary", "dl4j-lenet", "--input", "0x28x28"},
                new String[]{"summary", "dl4j-textgenlstm", "--classes", "10"})) {
            CliRun run = CliRun.of(args);
            assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), String.join(" ", args));
            assertTrue(run.errIsOneLine(), run.err());
            assertTrue(run.err().startsWith("zoobench: "), run.err());
        }
    }
}
