package org.zoobench.cli;

import org.zoobench.zoo.layers.LayerImpl;
import picocli.CommandLine.ITypeConverter;

/** {@code --impl fast|stock}, with the zoo's own one-line error for anything else. */
final class LayerImplConverter implements ITypeConverter<LayerImpl> {
    @Override
    public LayerImpl convert(String value) {
        return LayerImpl.parse(value);
    }
}
