package org.zoobench.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.Numbers;
import org.zoobench.zoo.profile.LayerProfile;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code zoobench summary MODEL}: the per-layer profile of one model at one input. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Per-layer profile of a model: output shape, trainable parameters, multiply-accumulates"
                + " and activation memory per example, with totals. Worked out from the configuration; no weights"
                + " are allocated.")
public final class SummaryCommand implements Callable<Integer> {

    /** One vertex of the profile as printed; MACs and activation bytes are per example. */
    public record LayerRow(String name, String type, String detail, String output, long params, long macs,
                           long activationBytes, List<String> inputs) {
        static LayerRow of(LayerProfile l) {
            return new LayerRow(l.name(), l.type(), l.detail(), l.outputShape(), l.trainableParams(), l.macs(),
                    l.activationBytes(), l.inputs());
        }
    }

    /** The whole profile as JSON. */
    public record Summary(String model, String input, int classes, String dataType, long params, long macs,
                          long activationBytes, String output, List<LayerRow> layers) {
    }

    static final String[] CSV_HEADER = {"name", "type", "detail", "output", "params", "macs", "activation_bytes",
            "inputs"};

    @Parameters(paramLabel = "MODEL", description = "a registered model name (see `zoobench models`)")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "input shape: CxHxW for images, FxT for sequences (default: the model's)")
    String input;

    @Option(names = "--classes", paramLabel = "N", description = "number of classes (default: the model's)")
    Integer classes;

    @Mixin
    LayerImplOption implementation;

    @Mixin
    ListingOutput output;

    @Override
    public Integer call() {
        ModelEntry entry = ModelRegistry.get(model);
        ModelOptions options = entry.defaultOptions();
        if (input != null) {
            options = options.withInput(InputShape.parse(input));
        }
        if (classes != null) {
            options = options.withClasses(classes);
        }
        ModelProfile profile = ModelProfile.of(entry, options);
        List<LayerRow> layers = profile.layers().stream().map(LayerRow::of).toList();
        PrintWriter out = output.out();
        switch (output.format) {
            case TABLE -> table(profile, options, implementation.impl, layers, out);
            case CSV -> csv(layers, out);
            case JSON -> out.println(ModelsCommand.json(new Summary(profile.model(), profile.input().toString(),
                    options.numClasses(), profile.dataType().name(), profile.trainableParams(), profile.macs(),
                    profile.activationBytes(), profile.outputShape(), layers)));
        }
        out.flush();
        return 0;
    }

    private static void table(ModelProfile profile, ModelOptions options, LayerImpl impl, List<LayerRow> layers,
                              PrintWriter out) {
        out.println(profile.model() + " at input " + profile.input() + ", " + options.numClasses() + " classes, "
                + profile.dataType().name().toLowerCase(Locale.ROOT) + "; MACs and activations per example; "
                + impl.id() + " layers");
        out.println();
        TextTable table = new TextTable("layer", "type", "window", "output", ">params", ">MACs", ">activations",
                "runs on");
        for (LayerRow l : layers) {
            table.row(l.name(), l.type(), l.detail(), l.output(), Numbers.grouped(l.params()),
                    Numbers.grouped(l.macs()), Numbers.bytes(l.activationBytes()), impl.engine(l.type()));
        }
        table.row("total", "", "", profile.outputShape(), Numbers.grouped(profile.trainableParams()),
                Numbers.grouped(profile.macs()), Numbers.bytes(profile.activationBytes()), "");
        table.print(out);
        out.println();
        out.println(Numbers.grouped(profile.trainableParams()) + " trainable parameters; "
                + Numbers.si(profile.macs()) + "MACs = " + Numbers.si(profile.flops()) + "FLOPs per example; "
                + Numbers.bytes(profile.activationBytes()) + " of activations per example");
    }

    private static void csv(List<LayerRow> layers, PrintWriter out) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).setRecordSeparator('\n').build();
        try {
            CSVPrinter printer = new CSVPrinter(out, format);
            for (LayerRow l : layers) {
                printer.printRecord(l.name(), l.type(), l.detail(), l.output(), l.params(), l.macs(),
                        l.activationBytes(), String.join(" ", l.inputs()));
            }
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
