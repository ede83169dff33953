package org.zoobench.cli;

import org.zoobench.layers.LayerImpl;
import picocli.CommandLine.Option;

/** {@code --impl fast|stock}, shared by every command that builds models: which layer implementation runs them. */
final class LayerImplOption {

    @Option(names = "--impl", defaultValue = "fast", converter = Converters.LayerImplConverter.class, paramLabel = "IMPL",
            description = "layer implementation: fast (oneDNN and libnd4j native ops) or stock (DL4J's Java layers) "
                    + "(default ${DEFAULT-VALUE})")
    LayerImpl impl;
}
