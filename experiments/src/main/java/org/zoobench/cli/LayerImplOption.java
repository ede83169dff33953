package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --impl fast|stock}, shared by every command that builds models: which layer implementation runs them. */
final class LayerImplOption {

    @Option(names = "--impl", defaultValue = "fast", converter = Converter.class, paramLabel = "IMPL",
            description = "layer implementation: fast (libnd4j native ops) or stock (DL4J's Java layers) "
                    + "(default ${DEFAULT-VALUE})")
    LayerImpl impl;

    /** The zoo's own one-line error for anything but fast or stock. */
    static final class Converter implements ITypeConverter<LayerImpl> {
        @Override
        public LayerImpl convert(String value) {
            try {
                return LayerImpl.parse(value);
            } catch (UserInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
