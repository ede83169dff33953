package org.zoobench.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.weights.Npy;
import org.zoobench.zoo.weights.SavedModel;
import org.zoobench.zoo.weights.TorchvisionWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code zoobench import torchvision MODEL --weights FILE.npz --out DIR}: pretrained weights into a zoo net. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import another library's trained weights into a registered model, saved as DIR/model.zip "
                + "for predict, eval, bench and train --init.",
        subcommands = ImportCommand.Torchvision.class)
public final class ImportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserInputException("say where the weights come from: `zoobench import torchvision MODEL --weights "
                + "FILE.npz --out DIR`");
    }

    @Command(name = "torchvision", mixinStandardHelpOptions = true,
            description = "torchvision's weights, a state_dict saved as numpy arrays under torchvision's names "
                    + "(scripts/torchvision_to_npz.py writes one from a .pth file); the number of classes comes "
                    + "from the file. Models: alexnet, googlenet-torchvision, resnet18 ... resnet152, densenet121, "
                    + "densenet161, densenet169, densenet201.")
    static final class Torchvision implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "the registered model the weights are for")
        String model;

        @Option(names = "--weights", required = true, paramLabel = "FILE.npz",
                description = "the state_dict as an .npz of numpy arrays under torchvision's names")
        Path weights;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where model.zip is written")
        Path out;

        @Override
        public Integer call() {
            String name = ModelRegistry.get(model).name();
            if (!TorchvisionWeights.supports(name)) {
                throw new UserInputException("'" + name + "' has no torchvision counterpart; torchvision weights "
                        + "fit " + String.join(", ", TorchvisionWeights.models()));
            }
            Path target = out.resolve(ResultsStore.MODEL);
            OutputTargets.checkWritable(target, "--out");
            ComputationGraph graph = TorchvisionWeights.load(name, Npy.readNpz(weights), weights.toString());
            AtomicFiles.write(target, file -> ModelSerializer.writeModel(graph, file.toFile(), false));
            PrintWriter printer = spec.commandLine().getOut();
            printer.printf("%s with %d classes, weights from %s: %s%n", name,
                    SavedModel.classifier(graph).getParam("W").size(1), weights, target);
            return 0;
        }
    }
}
