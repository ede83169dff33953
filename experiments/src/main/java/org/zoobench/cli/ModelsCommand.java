package org.zoobench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.Numbers;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code zoobench models}: every registered model with its size and cost at its default input. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List every registered model: trainable parameters and multiply-accumulates per example"
                + " at its default input (conv and fully connected layers, torchvision's GFLOPS convention).")
public final class ModelsCommand implements Callable<Integer> {

    /** One line of the listing. MACs are per example at the default input. */
    public record Row(String name, long params, long macs, String input, int classes, String description) {
        static Row of(ModelEntry entry) {
            ModelProfile profile = ModelProfile.of(entry, entry.defaultOptions());
            return new Row(entry.name(), profile.trainableParams(), profile.macs(), entry.defaultInput().toString(),
                    entry.defaultClasses(), entry.description());
        }
    }

    static final String[] CSV_HEADER = {"name", "params", "macs", "input", "classes", "description"};

    @Mixin
    ListingOutput output;

    @Override
    public Integer call() {
        List<Row> rows = ModelRegistry.all().stream().map(Row::of).toList();
        PrintWriter out = output.out();
        switch (output.format) {
            case TABLE -> table(rows).print(out);
            case CSV -> csv(rows, out);
            case JSON -> out.println(json(rows));
        }
        out.flush();
        return 0;
    }

    private static TextTable table(List<Row> rows) {
        TextTable table = new TextTable("name", ">params", ">MACs", "input", ">classes", "description");
        for (Row r : rows) {
            table.row(r.name(), Numbers.grouped(r.params()), Numbers.si(r.macs()), r.input(), r.classes(),
                    r.description());
        }
        return table;
    }

    private static void csv(List<Row> rows, PrintWriter out) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).setRecordSeparator('\n').build();
        try {
            CSVPrinter printer = new CSVPrinter(out, format);
            for (Row r : rows) {
                printer.printRecord(r.name(), r.params(), r.macs(), r.input(), r.classes(), r.description());
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(Object value) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
