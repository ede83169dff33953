package org.zoobench.cli;

import org.zoobench.experiments.data.TorchvisionPreprocessing;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.suites.SuiteOptions.Scale;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;
import org.zoobench.parallel.WorkerMode;
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

    /** A converter by the type's own parser, whose UserInputException becomes picocli's conversion error. */
    private abstract static class Parsing<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        Parsing(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (UserInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PreprocessConverter extends Parsing<TorchvisionPreprocessing> {
        PreprocessConverter() {
            super(TorchvisionPreprocessing::parse);
        }
    }

    static final class ScaleConverter extends Parsing<Scale> {
        ScaleConverter() {
            super(Scale::parse);
        }
    }

    static final class UpdaterConverter extends Parsing<Updater> {
        UpdaterConverter() {
            super(Updater::parse);
        }
    }

    static final class ResizeConverter extends Parsing<ResizeMode> {
        ResizeConverter() {
            super(ResizeMode::parse);
        }
    }

    static final class ScheduleConverter extends Parsing<LrSchedule> {
        ScheduleConverter() {
            super(LrSchedule::parse);
        }
    }

    static final class LayerImplConverter extends Parsing<LayerImpl> {
        LayerImplConverter() {
            super(LayerImpl::parse);
        }
    }

    static final class WorkerModeConverter extends Parsing<WorkerMode> {
        WorkerModeConverter() {
            super(WorkerMode::parse);
        }
    }
}
