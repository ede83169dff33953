package org.zoobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsCommandTest {

    @Test
    void csvListsEveryRegisteredModelAndParsesBack() throws IOException {
        CliRun run = CliRun.of("models", "--format", "csv");
        assertEquals(0, run.exitCode(), run.err());

        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(run.out()))) {
            assertEquals(List.of(ModelsCommand.CSV_HEADER), parser.getHeaderNames());
            records = parser.getRecords();
        }
        assertEquals(ModelRegistry.names(), records.stream().map(r -> r.get("name")).toList());
        Map<String, CSVRecord> byName = records.stream().collect(Collectors.toMap(r -> r.get("name"), Function.identity()));
        for (ModelEntry entry : ModelRegistry.all()) {
            CSVRecord r = byName.get(entry.name());
            ModelProfile profile = ModelProfile.of(entry, entry.defaultOptions());
            assertEquals(profile.trainableParams(), Long.parseLong(r.get("params")), entry.name());
            assertEquals(profile.macs(), Long.parseLong(r.get("macs")), entry.name());
            assertEquals(entry.defaultInput().toString(), r.get("input"));
            assertEquals(entry.defaultClasses(), Integer.parseInt(r.get("classes")));
            assertEquals(entry.description(), r.get("description"));
        }
        assertEquals("1256080", byName.get("dl4j-lenet").get("params"));
    }

    @Test
    void jsonParsesBackToTheSameRows() throws IOException {
        CliRun run = CliRun.of("models", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());

        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertTrue(rows.isArray());
        assertEquals(ModelRegistry.all().size(), rows.size());
        JsonNode lenet = null;
        for (JsonNode row : rows) {
            if (row.get("name").asText().equals("dl4j-lenet")) {
                lenet = row;
            }
        }
        assertEquals(1_256_080, lenet.get("params").asLong());
        assertEquals(6_522_000, lenet.get("macs").asLong());
        assertEquals("1x28x28", lenet.get("input").asText());
        assertEquals(10, lenet.get("classes").asInt());
    }

    @Test
    void tableHasOneRowPerModel() {
        CliRun run = CliRun.of("models");
        assertEquals(0, run.exitCode(), run.err());

        String[] lines = run.out().split("\n");
        assertEquals(ModelRegistry.all().size() + 1, lines.length);
        assertTrue(lines[0].matches("name\\s+params\\s+MACs\\s+input\\s+classes\\s+description"), lines[0]);
        assertTrue(run.out().contains("1,256,080"));
    }

    @Test
    void unknownFormatIsAUsageErrorWithoutStackTrace() {
        CliRun run = CliRun.of("models", "--format", "xml");
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode());
        assertTrue(run.err().startsWith("zoobench: Invalid value for option '--format'"), run.err());
        assertTrue(run.errIsOneLine(), "one line, without the usage: " + run.err());
    }
}
