package org.zoobench.cli;

import org.zoobench.experiments.data.TorchvisionPreprocessing;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.suites.SuiteOptions.Scale;
import org.zoobench.zoo.UserInputException;
import org.zoobench.zoo.layers.LayerImpl;
import org.zoobench.zoo.parallel.WorkerMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/**
 * picocli converters for the options that take one of a closed set of values: each gives the type's own one-line
 * error, which picocli prefixes with the option, so the line names the option, the value and the choices.
 */
final class Converters {

    private Converters() {
    }

    private static <T> T parsed(Function<String, T> parse, String value) {
        try {
            return parse.apply(value);
        } catch (UserInputException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class PreprocessConverter implements ITypeConverter<TorchvisionPreprocessing> {
        @Override
        public TorchvisionPreprocessing convert(String value) {
            return parsed(TorchvisionPreprocessing::parse, value);
        }
    }

    static final class ScaleConverter implements ITypeConverter<Scale> {
        @Override
        public Scale convert(String value) {
            return parsed(Scale::parse, value);
        }
    }

    static final class UpdaterConverter implements ITypeConverter<Updater> {
        @Override
        public Updater convert(String value) {
            return parsed(Updater::parse, value);
        }
    }

    static final class ResizeConverter implements ITypeConverter<ResizeMode> {
        @Override
        public ResizeMode convert(String value) {
            return parsed(ResizeMode::parse, value);
        }
    }

    static final class ScheduleConverter implements ITypeConverter<LrSchedule> {
        @Override
        public LrSchedule convert(String value) {
            return parsed(LrSchedule::parse, value);
        }
    }

    static final class LayerImplConverter implements ITypeConverter<LayerImpl> {
        @Override
        public LayerImpl convert(String value) {
            return parsed(LayerImpl::parse, value);
        }
    }

    static final class WorkerModeConverter implements ITypeConverter<WorkerMode> {
        @Override
        public WorkerMode convert(String value) {
            return parsed(WorkerMode::parse, value);
        }
    }
}
